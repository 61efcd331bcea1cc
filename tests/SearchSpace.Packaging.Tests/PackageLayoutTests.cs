using System.IO.Compression;
using System.Xml.Linq;

namespace SearchSpaceDsl.Packaging.Tests;

/// <summary>What the packed .nupkg files contain and depend on.</summary>
[Collection(nameof(PackagingCollection))]
public sealed class PackageLayoutTests(PackedPackages packages)
{
    [Fact]
    public void SearchSpaceDsl_holds_the_runtime_the_generator_as_an_analyzer_and_the_build_targets()
    {
        var entries = Entries("SearchSpaceDsl");

        foreach (var expected in new[]
                 {
                     "lib/net10.0/SearchSpace.Runtime.dll",
                     "lib/net10.0/SearchSpace.Runtime.xml",
                     "analyzers/dotnet/cs/SearchSpace.Generators.dll",
                     "build/SearchSpaceDsl.targets",
                     "buildTransitive/SearchSpaceDsl.targets",
                     "README.md",
                 })
            Assert.True(entries.Contains(expected), $"SearchSpaceDsl lacks {expected}. It has: {string.Join(", ", entries)}");

        // The generator is only an analyzer, and the compiler brings its Roslyn dependencies.
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) && e.Contains("Generators", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Contains("Microsoft.CodeAnalysis", StringComparison.Ordinal));
        Assert.Equal(["analyzers/dotnet/cs/SearchSpace.Generators.dll"], entries.Where(e => e.StartsWith("analyzers/", StringComparison.Ordinal)));
    }

    [Fact]
    public void SearchSpaceDsl_depends_on_the_kernels_at_its_own_version_and_on_torch_but_not_on_the_generator()
    {
        var dependencies = Dependencies("SearchSpaceDsl");

        Assert.Equal(
            ["CsvHelper", "libtorch-cpu-linux-x64", "MathNet.Numerics", "Microsoft.Data.Sqlite", "SearchSpaceDsl.Kernels", "TorchSharp"],
            dependencies.Keys.Order(StringComparer.OrdinalIgnoreCase));
        Assert.Equal(packages.Version, dependencies["SearchSpaceDsl.Kernels"]);
    }

    [Fact]
    public void SearchSpaceDsl_Kernels_holds_the_kernels_and_depends_on_ILGPU_only()
    {
        var entries = Entries("SearchSpaceDsl.Kernels");

        Assert.Contains("lib/net10.0/SearchSpace.Kernels.dll", entries);
        Assert.Equal(["ILGPU", "ILGPU.Algorithms"], Dependencies("SearchSpaceDsl.Kernels").Keys.Order(StringComparer.Ordinal));
    }

    private HashSet<string> Entries(string packageId)
    {
        using var zip = Open(packageId);
        return zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The nuspec's dependencies: id → version range as written.</summary>
    private Dictionary<string, string> Dependencies(string packageId)
    {
        using var zip = Open(packageId);
        var nuspec = zip.GetEntry($"{packageId}.nuspec")
            ?? throw new InvalidOperationException($"{packages.PackagePath(packageId)} has no {packageId}.nuspec.");
        using var stream = nuspec.Open();
        var document = XDocument.Load(stream);
        return document.Descendants().Where(e => e.Name.LocalName == "dependency")
            .ToDictionary(e => (string)e.Attribute("id")!, e => (string)e.Attribute("version")!);
    }

    private ZipArchive Open(string packageId)
    {
        var path = packages.PackagePath(packageId);
        Assert.True(File.Exists(path), $"{path} was not packed. The folder has: {string.Join(", ", Directory.EnumerateFiles(packages.Folder).Select(Path.GetFileName))}");
        return ZipFile.OpenRead(path);
    }
}
