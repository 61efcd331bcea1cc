using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace SearchSpaceDsl.Packaging.Tests;

/// <summary>A throwaway console app that references the packed SearchSpaceDsl, built and run as a user would.</summary>
[Collection(nameof(PackagingCollection))]
public sealed class ConsumerTests(PackedPackages packages, ITestOutputHelper log)
{
    // Generous: a fresh CI machine with two cores restores, compiles and links 600 MB of natives.
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public void A_console_app_referencing_the_package_generates_its_space_and_supernet_and_runs_TorchSharp()
    {
        var consumer = WriteConsumer();

        var build = DotNetCli.Run(consumer, BuildTimeout,
            "build", "Consumer.csproj", "-c", "Release", $"-p:SearchSpaceDslVersion={packages.Version}",
            // No build servers: none outlives the test or holds its output pipes open.
            "--disable-build-servers", "-tl:off");
        log.WriteLine($"{build.Command}: {build.Elapsed.TotalSeconds:F0} s");
        Assert.True(build.Succeeded, $"The consumer did not build against SearchSpaceDsl {packages.Version}. {build.Describe()}");

        var run = DotNetCli.Run(consumer, RunTimeout, Path.Combine("bin", "Release", "net10.0", "Consumer.dll"));
        log.WriteLine($"{run.Command}: {run.Elapsed.TotalSeconds:F0} s, printed:{Environment.NewLine}{run.Output}");
        Assert.True(run.Succeeded, $"The consumer built but did not run. {run.Describe()}");

        var lines = run.Output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        string Line(string prefix) => lines.SingleOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"The consumer printed no line starting '{prefix}'. {run.Describe()}");

        // The package's build targets added the native loader, and TorchSharp ran before anything else of the package.
        Assert.Equal("initializer: SearchSpaceDslTorchSharpInitializer", Line("initializer:"));
        Assert.Equal("torch: 6", Line("torch:"));
        // The generator from the package completed the [SearchSpace] class.
        Assert.Equal("cardinality: 56", Line("cardinality:"));
        Assert.Matches(@"^sample: Width=(8|16), Layers=[123], Ratio=\[[12](, [12]){0,2}\], Bias=(true|false)$", Line("sample:"));
        Assert.Equal("parsed back: True", Line("parsed back:"));
        // ... and the [Supernet] class: forward at a sampled architecture, an extracted dense model equal to it.
        Assert.Equal("forward: [2, 1]", Line("forward:"));
        Assert.Equal("extracted equal: True", Line("extracted equal:"));
        var parameters = Regex.Match(Line("parameters:"), @"^parameters: (\d+) counted, (\d+) extracted$");
        Assert.True(parameters.Success && parameters.Groups[1].Value == parameters.Groups[2].Value,
            $"The counted and extracted parameter counts differ. {run.Describe()}");
    }

    /// <summary>Copies the consumer template beside the packages and points NuGet at them.</summary>
    private string WriteConsumer()
    {
        var consumer = Path.Combine(packages.Root, "consumer");
        Directory.CreateDirectory(consumer);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Consumer")))
            File.Copy(file, Path.Combine(consumer, Path.GetFileName(file)));

        // The packed folder as a source beside the machine's configured ones (no <clear/>): TorchSharp and the other
        // dependencies come from the same mirror or cache as the repository's own restore.
        File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="SearchSpaceDsl packed by the test" value="{packages.Folder}" />
              </packageSources>
            </configuration>
            """);

        // Stop MSBuild's upward search for these files, so nothing above the temporary folder shapes the build.
        foreach (var name in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
            File.WriteAllText(Path.Combine(consumer, name), "<Project />");
        return consumer;
    }
}
