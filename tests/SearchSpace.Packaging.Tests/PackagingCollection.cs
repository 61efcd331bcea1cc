namespace SearchSpaceDsl.Packaging.Tests;

/// <summary>One pack for all packaging tests; they run one after another.</summary>
[CollectionDefinition(nameof(PackagingCollection))]
public sealed class PackagingCollection : ICollectionFixture<PackedPackages>
{
}
