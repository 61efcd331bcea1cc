using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace SearchSpaceDsl.Generators.Tests;

/// <summary>Compiles test sources and runs <see cref="SearchSpaceGenerator"/> over them with step tracking on.</summary>
internal static class GeneratorHarness
{
    /// <summary>Preview C#, so that partial properties (C# 13) and everything newer parse.</summary>
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview);

    /// <summary>The .NET 10 reference assemblies, SearchSpace.Runtime (the attributes, the engine, the layers) and TorchSharp.</summary>
    public static readonly ImmutableArray<MetadataReference> References =
    [
        .. Net100.References.All,
        MetadataReference.CreateFromFile(typeof(SearchSpaceAttribute).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(TorchSharp.torch).Assembly.Location),
    ];

    // CS1701/CS1702 (TorchSharp, built for net8.0, assumes System.Runtime 8 unifies with 10): off, as in every SDK build.
    private static readonly CSharpCompilationOptions CompilationOptions = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            deterministic: true)
        .WithSpecificDiagnosticOptions([new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]);

    /// <summary>Parses one source as a syntax tree at <paramref name="path"/>.</summary>
    public static SyntaxTree Parse(string source, string path = "Input.cs") =>
        CSharpSyntaxTree.ParseText(source, ParseOptions, path);

    /// <summary>A library compilation of the sources, named Input0.cs, Input1.cs, …</summary>
    public static CSharpCompilation Compile(params string[] sources) =>
        Compile(sources.Select((source, i) => Parse(source, $"Input{i}.cs")));

    public static CSharpCompilation Compile(IEnumerable<SyntaxTree> trees) =>
        CSharpCompilation.Create("GeneratorTestInput", trees, References, CompilationOptions);

    /// <summary>A driver holding a fresh generator instance, tracking incremental steps.</summary>
    public static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            [new SearchSpaceGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Compiles the sources and runs the generator once.</summary>
    public static GeneratorRun Run(params string[] sources) => Run(CreateDriver(), Compile(sources));

    /// <summary>Runs the generator (incrementally when the driver has run before) and compiles its output.</summary>
    public static GeneratorRun Run(GeneratorDriver driver, Compilation input)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(input, out var output, out _);
        var result = driver.GetRunResult().Results.Single();
        return new GeneratorRun(driver, input, output, result);
    }
}

/// <summary>What one generator run produced.</summary>
/// <param name="driver">The driver after the run; run it again on an edited compilation to test caching.</param>
/// <param name="input">The compilation the generator saw.</param>
/// <param name="output">The input plus the generated sources.</param>
/// <param name="result">The generator's own result: sources, diagnostics, exception and tracked steps.</param>
internal sealed class GeneratorRun(GeneratorDriver driver, Compilation input, Compilation output, GeneratorRunResult result)
{
    public GeneratorDriver Driver { get; } = driver;

    public Compilation Input { get; } = input;

    public Compilation Output { get; } = output;

    public GeneratorRunResult Result { get; } = result;

    public ImmutableArray<GeneratedSourceResult> Sources => Result.GeneratedSources;

    /// <summary>The diagnostics the generator reported (and the driver's CS8784/CS8785 when it threw).</summary>
    public ImmutableArray<Diagnostic> GeneratorDiagnostics => Result.Diagnostics;

    /// <summary>The compiler's diagnostics of the input plus generated code (computed on first use).</summary>
    public ImmutableArray<Diagnostic> OutputDiagnostics => _outputDiagnostics ??= Output.GetDiagnostics();

    private ImmutableArray<Diagnostic>? _outputDiagnostics;

    /// <summary>The text of the one generated source with the given hint name.</summary>
    public string SourceText(string hintName) =>
        Sources.Single(s => s.HintName == hintName).SourceText.ToString();
}
