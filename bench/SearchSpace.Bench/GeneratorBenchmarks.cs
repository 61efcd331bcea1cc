using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SearchSpaceDsl.Generators;

namespace SearchSpaceDsl.Bench;

/// <summary>
/// The generator's own time on the sample solution: the sources of samples/TinyGpt plus the HW-GPT-Bench zoo
/// (four <c>[SearchSpace]</c> types), compiled in memory against the .NET 10 reference assemblies and
/// SearchSpace.Runtime. Source parsing and metadata loading happen once in setup, as in a warm compiler server;
/// what is measured is what the generator adds to a build or to an IDE keystroke.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class GeneratorBenchmarks
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview);

    private static readonly CSharpCompilationOptions CompilationOptions = new(
        OutputKind.ConsoleApplication,
        nullableContextOptions: NullableContextOptions.Enable,
        deterministic: true);

    // The implicit usings of Microsoft.NET.Sdk (ImplicitUsings=enable in Directory.Build.props).
    private const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    private const string UnrelatedEdit = """
        namespace TinyGpt.Edits;

        /// <summary>A type the generator has no interest in, as if the user had just typed it.</summary>
        public static class UnrelatedEdit
        {
            public static int Answer(int x) => x * 2 + 1;
        }
        """;

    private ImmutableArray<SyntaxTree> _trees;
    private ImmutableArray<MetadataReference> _references;
    private CSharpCompilation _compilation = null!;
    private SyntaxTree _unrelated = null!;
    private GeneratorDriver _warmDriver = null!;
    private CSharpCompilation _edited = null!;

    /// <summary>The number of [SearchSpace] types in the inputs: TinyGptArchitecture and HwGptBench S, M, L.</summary>
    public const int ExpectedSources = 4;

    [GlobalSetup]
    public void Setup()
    {
        string root = RepositoryRoot();
        var files = SourceFiles(Path.Combine(root, "samples", "TinyGpt"))
            .Append(Path.Combine(root, "src", "SearchSpace.Runtime", "Zoo", "HwGptBench.cs"))
            .ToList();
        _trees =
        [
            CSharpSyntaxTree.ParseText(ImplicitUsings, ParseOptions, "GlobalUsings.g.cs"),
            .. files.Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), ParseOptions, path)),
        ];
        _references = [.. Net100.References.All, MetadataReference.CreateFromFile(typeof(SearchSpaceAttribute).Assembly.Location)];
        _compilation = NewCompilation();
        _unrelated = CSharpSyntaxTree.ParseText(UnrelatedEdit, ParseOptions, "UnrelatedEdit.cs");

        Check(_compilation);
        _warmDriver = NewDriver().RunGenerators(_compilation);
        _warmDriver = _warmDriver.RunGenerators(_compilation);
        CheckIncremental();
        _edited = _compilation.AddSyntaxTrees(_unrelated);
        _ = NewDriver().RunGenerators(_edited); // binds the [SearchSpace] types of the edited compilation
    }

    /// <summary>A fresh driver on a fresh compilation of the parsed sources, as in a full build (binding the attributed types included).</summary>
    [Benchmark]
    public GeneratorDriver ColdRun() => NewDriver().RunGenerators(NewCompilation());

    /// <summary>A fresh driver on a compilation whose symbols are already bound: the generator's pipeline alone.</summary>
    [Benchmark]
    public GeneratorDriver ColdDriverBoundCompilation() => NewDriver().RunGenerators(_compilation);

    /// <summary>A warm driver after an edit that adds an unrelated type: what the generator adds to an IDE keystroke.</summary>
    [Benchmark]
    public GeneratorDriver IncrementalUnrelatedEdit() => _warmDriver.RunGenerators(_compilation.AddSyntaxTrees(_unrelated));

    /// <summary>
    /// The same on an edited compilation whose symbols are already bound: the generator's own incremental work
    /// (its parse step re-runs on every new compilation, the emit step is skipped as the models are unchanged).
    /// </summary>
    [Benchmark]
    public GeneratorDriver IncrementalUnrelatedEditBoundCompilation() => _warmDriver.RunGenerators(_edited);

    private CSharpCompilation NewCompilation() =>
        CSharpCompilation.Create("TinyGpt", _trees, _references, CompilationOptions);

    private static GeneratorDriver NewDriver(bool track = false) =>
        CSharpGeneratorDriver.Create(
            [new SearchSpaceGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: track));

    // The benchmark must measure a working generator: every space generated, no diagnostics, output compiles.
    private static void Check(CSharpCompilation compilation)
    {
        var driver = NewDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var result = driver.GetRunResult().Results.Single();
        if (result.Exception is not null)
            throw new InvalidOperationException("The generator threw.", result.Exception);
        if (result.GeneratedSources.Length != ExpectedSources || !diagnostics.IsEmpty)
            throw new InvalidOperationException(
                $"Expected {ExpectedSources} generated sources and no diagnostics, got {result.GeneratedSources.Length} and: {string.Join("; ", diagnostics)}");
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
            throw new InvalidOperationException($"The generated sample does not compile: {string.Join("; ", errors.Take(5))}");
    }

    // The unrelated edit must hit the generator's cache, or IncrementalUnrelatedEdit would measure a regeneration.
    private void CheckIncremental()
    {
        var driver = NewDriver(track: true).RunGenerators(_compilation);
        driver = driver.RunGenerators(_compilation.AddSyntaxTrees(_unrelated));
        var steps = driver.GetRunResult().Results.Single().TrackedSteps[SearchSpaceGenerator.ParseStep];
        var reasons = steps.SelectMany(step => step.Outputs).Select(output => output.Reason).ToList();
        if (reasons.Count != ExpectedSources || reasons.Any(r => r is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged)))
            throw new InvalidOperationException($"The unrelated edit was not served from the cache: {string.Join(", ", reasons)}");
    }

    private static IEnumerable<string> SourceFiles(string project) =>
        Directory.EnumerateFiles(project, "*.cs", SearchOption.AllDirectories)
            .Where(path => !Path.GetRelativePath(project, path).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Order(StringComparer.Ordinal);

    /// <summary>The folder with SearchSpaceDsl.sln or Directory.Packages.props above the benchmark's binaries.</summary>
    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SearchSpaceDsl.sln")) || File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException($"No SearchSpaceDsl.sln or Directory.Packages.props above {AppContext.BaseDirectory}.");
    }
}
