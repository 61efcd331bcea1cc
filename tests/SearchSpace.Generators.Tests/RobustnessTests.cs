using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Xunit.Abstractions;

namespace SearchSpaceDsl.Generators.Tests;

/// <summary>
/// The generator never throws: hundreds of seeded mutations of valid spaces and supernets (mostly broken code) run
/// through the driver, and none may make it throw (CS8784/CS8785) or report its internal error SSD9999.
/// </summary>
public sealed class RobustnessTests(ITestOutputHelper output)
{
    private const int VariantsPerBase = 150;

    private static readonly string[] Bases =
    [
        SampleSources.Arch,
        SampleSources.NestedRecord,
        SampleSources.BareEnum,
        """
        using System.Collections.Immutable;
        using SearchSpaceDsl;
        namespace Zoo.Deep.Space;
        public enum Precision { Int4 = 4, Int8 = 8, Fp16 = 16 }
        [SearchSpace]
        [Constraint(nameof(Small), "too large")]
        [Constraint(nameof(Even), "depth must be even")]
        public sealed partial record Quant
        {
            [Choice(0, 2, 4)] public partial int Depth { get; init; }
            [Choice(Precision.Int4, Precision.Fp16), PerLayer(nameof(Depth))] public partial ImmutableArray<Precision> Bits { get; init; }
            [Choice(0.0, 0.25), PerLayer(nameof(Depth))] public partial ImmutableArray<double> Sparsity { get; private init; }
            [Choice] internal partial bool Shared { get; }
            private static bool Small(Quant q) => q.Depth < 4;
            private static bool Even(Quant q) => q.Depth % 2 == 0;
        }
        public sealed partial record Quant { public int Extra => 1; }
        """,
        SampleSources.TinyGptSupernet,
        SampleSources.GroupedSupernet,
    ];

    public static TheoryData<int> BaseIndices => [.. Enumerable.Range(0, Bases.Length)];

    [Theory]
    [MemberData(nameof(BaseIndices))]
    public void Base_sources_generate_cleanly(int index)
    {
        var run = GeneratorHarness.Run(Bases[index]);

        Assert.Empty(run.GeneratorDiagnostics);
        int expected = Count(Bases[index], "[SearchSpace]") + Count(Bases[index], "[Supernet(");
        Assert.Equal(expected, run.Sources.Length);
        Assert.Empty(run.OutputDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()));
    }

    [Fact]
    public void Mutated_sources_never_make_the_generator_throw()
    {
        var clock = Stopwatch.StartNew();
        var empty = GeneratorHarness.Compile();
        var texts = new HashSet<string>();
        int withDiagnostics = 0, withSources = 0;

        for (int b = 0; b < Bases.Length; b++)
        {
            var mutator = new SourceMutator(seed: 1000 + b);
            for (int v = 0; v < VariantsPerBase; v++)
            {
                var (source, description) = mutator.Mutate(Bases[b]);
                texts.Add(source);
                var compilation = empty.AddSyntaxTrees(GeneratorHarness.Parse(source));
                var result = GeneratorHarness.CreateDriver().RunGenerators(compilation).GetRunResult();

                string failure = Check(result, source.Length);
                Assert.True(failure.Length == 0, $"Base {b}, variant {v} ({description}): {failure}\n--- source ---\n{source}");
                withDiagnostics += result.Diagnostics.Any(d => d.Id.StartsWith("SSD", StringComparison.Ordinal)) ? 1 : 0;
                withSources += result.Results[0].GeneratedSources.Length > 0 ? 1 : 0;
            }
        }

        output.WriteLine($"{Bases.Length * VariantsPerBase} variants ({texts.Count} distinct) in {clock.ElapsedMilliseconds} ms; " +
                         $"{withDiagnostics} with SSD diagnostics, {withSources} generated source.");
        Assert.True(texts.Count >= Bases.Length * VariantsPerBase * 9 / 10, $"Only {texts.Count} distinct variants.");
        Assert.True(withDiagnostics > 50, "Too few variants reached the generator's diagnostics.");
    }

    // A user member that is not a choice but has the name of a generated one (say 'static int Space') is reported by
    // the compiler inside the generated file, not by the generator: a known gap, left out of this check.
    private static readonly HashSet<string> MemberClashes = ["CS0102", "CS0111", "CS0229"];

    [Fact]
    public void Generated_code_is_never_the_only_thing_that_fails_to_compile()
    {
        // When the user's code compiles but the generated code does not, the generator accepted a declaration it cannot handle.
        var empty = GeneratorHarness.Compile();
        int checkedCount = 0;
        for (int b = 0; b < Bases.Length; b++)
        {
            var mutator = new SourceMutator(seed: 2000 + b);
            for (int v = 0; v < 100; v++)
            {
                var (source, description) = mutator.Mutate(Bases[b]);
                var run = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), empty.AddSyntaxTrees(GeneratorHarness.Parse(source)));
                if (run.Sources.IsEmpty)
                    continue;
                var errors = run.OutputDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
                var inGenerated = errors.Where(d => d.Location.SourceTree?.FilePath != "Input.cs" && !MemberClashes.Contains(d.Id)).ToList();
                bool userCodeFails = errors.Count > inGenerated.Count;
                Assert.True(userCodeFails || inGenerated.Count == 0,
                    $"Base {b}, variant {v} ({description}): only the generated code fails:\n{string.Join("\n", inGenerated)}\n--- source ---\n{source}");
                checkedCount += userCodeFails ? 0 : 1;
            }
        }
        output.WriteLine($"{checkedCount} variants compiled cleanly with their generated code.");
        Assert.True(checkedCount >= 20, $"Only {checkedCount} variants compiled; the check proves little.");
    }

    [Fact]
    public void One_driver_survives_a_chain_of_mutations()
    {
        // The same driver across edits exercises the incremental cache on every transition between broken states.
        var mutator = new SourceMutator(seed: 7);
        var driver = GeneratorHarness.CreateDriver();
        var compilation = GeneratorHarness.Compile(Bases);
        for (int v = 0; v < 100; v++)
        {
            int b = v % Bases.Length;
            string path = $"Input{b}.cs";
            var (source, description) = mutator.Mutate(v % 3 == 0 ? Bases[b] : compilation.SyntaxTrees.Single(t => t.FilePath == path).ToString());
            compilation = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.Single(t => t.FilePath == path), GeneratorHarness.Parse(source, path));
            driver = driver.RunGenerators(compilation);

            string failure = Check(driver.GetRunResult(), int.MaxValue);
            Assert.True(failure.Length == 0, $"Step {v} ({description} in {path}): {failure}\n--- source ---\n{source}");
        }
    }

    private static int Count(string text, string fragment) => (text.Length - text.Replace(fragment, "").Length) / fragment.Length;

    /// <summary>What is wrong with one run, or "" when nothing is.</summary>
    private static string Check(GeneratorDriverRunResult run, int sourceLength)
    {
        var result = run.Results.Single();
        if (result.Exception is { } exception)
            return "the generator threw " + exception;
        var bad = run.Diagnostics.Concat(result.Diagnostics)
            .Where(d => d.Id is "SSD9999" or "CS8784" or "CS8785")
            .Select(d => d.ToString())
            .ToList();
        if (bad.Count > 0)
            return string.Join("\n", bad);
        var outside = result.Diagnostics
            .Where(d => d.Location != Location.None && d.Location.SourceSpan.End > sourceLength)
            .Select(d => d.ToString())
            .ToList();
        return outside.Count > 0 ? "diagnostic outside the source: " + string.Join("\n", outside) : "";
    }
}
