namespace SearchSpaceDsl.Kernels.Tests;

/// <summary>One CPU-accelerator context for every test of the collection: creating one costs about 130 ms.</summary>
public sealed class KernelContextFixture : IDisposable
{
    public KernelContext Kernels { get; } = KernelContext.Create(preferCpu: true);

    public void Dispose() => Kernels.Dispose();
}

[CollectionDefinition(Name)]
public sealed class KernelCollection : ICollectionFixture<KernelContextFixture>
{
    public const string Name = "Kernels";
}
