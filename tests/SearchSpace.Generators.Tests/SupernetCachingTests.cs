using Microsoft.CodeAnalysis;

namespace SearchSpaceDsl.Generators.Tests;

/// <summary>
/// Incrementality of the supernet pipeline: edits that change neither the model class's layers nor the choices they
/// name leave its parse step and its output cached; an edit of a layer size or of the architecture's choices does not.
/// </summary>
public sealed class SupernetCachingTests
{
    private const string Hint = "Demo.Models.TinyGptModel-Supernet.g.cs";

    private static readonly IncrementalStepRunReason[] CachedReasons =
        [IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged];

    [Fact]
    public void Adding_an_unrelated_file_hits_the_cache()
    {
        var first = RunFirst();
        var second = GeneratorHarness.Run(first.Driver,
            first.Input.AddSyntaxTrees(GeneratorHarness.Parse("namespace Demo; public sealed class Unrelated { }", "Unrelated.cs")));

        AssertSupernetCached(second.Result);
        Assert.Equal(first.SourceText(Hint), second.SourceText(Hint));
    }

    [Fact]
    public void Editing_the_forward_body_leaves_the_output_unchanged()
    {
        var first = RunFirst();
        var second = Rerun(first, SampleSources.TinyGptSupernet.Replace("x = x + Mlp[i]", "x = x - Mlp[i]"));

        // The tree changed, so the parse step re-ran, but its model compares equal and the output is reused.
        AssertSupernetCached(second.Result);
    }

    [Fact]
    public void Changing_a_layer_size_modifies_the_output()
    {
        var first = RunFirst();
        var second = Rerun(first, SampleSources.TinyGptSupernet.Replace("HeadSize = 16", "HeadSize = 32"));

        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(second.Result.TrackedSteps[SearchSpaceGenerator.ParseSupernetStep]));
        Assert.Contains(", 32, architecture.Bias, 0)", second.SourceText(Hint));
    }

    [Fact]
    public void Making_a_choice_scalar_modifies_the_output()
    {
        // The architecture is read by the supernet's parse step too: a choice that stops being per layer changes the code.
        var first = RunFirst();
        var second = Rerun(first, SampleSources.TinyGptSupernet
            .Replace("[Choice(1, 2), PerLayer(nameof(Layers))] public partial ImmutableArray<int> Heads", "[Choice(1, 2)] public partial int Heads"));

        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(second.Result.TrackedSteps[SearchSpaceGenerator.ParseSupernetStep]));
        Assert.Contains("architecture.Heads, 16,", second.SourceText(Hint));
    }

    [Fact]
    public void Parse_step_values_hold_no_symbols_syntax_or_compilations()
    {
        var run = RunFirst();
        var values = run.Result.TrackedSteps[SearchSpaceGenerator.ParseSupernetStep].SelectMany(s => s.Outputs).Select(o => o.Value).ToList();

        Assert.Single(values);
        Assert.Empty(CachingTests.ForbiddenObjects(values[0]));
    }

    private static GeneratorRun RunFirst()
    {
        var run = GeneratorHarness.Run(SampleSources.TinyGptSupernet);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Equal(2, run.Sources.Length);
        return run;
    }

    private static GeneratorRun Rerun(GeneratorRun previous, string newSource)
    {
        var old = previous.Input.SyntaxTrees.Single();
        var run = GeneratorHarness.Run(previous.Driver, previous.Input.ReplaceSyntaxTree(old, GeneratorHarness.Parse(newSource, old.FilePath)));
        Assert.Empty(run.GeneratorDiagnostics);
        return run;
    }

    private static void AssertSupernetCached(GeneratorRunResult result)
    {
        Assert.Null(result.Exception);
        var parse = result.TrackedSteps[SearchSpaceGenerator.ParseSupernetStep];
        var outputs = result.TrackedOutputSteps.SelectMany(s => s.Value).ToList();
        Assert.NotEmpty(parse.SelectMany(s => s.Outputs));
        Assert.All(Reasons(parse), reason => Assert.Contains(reason, CachedReasons));
        Assert.All(Reasons(outputs), reason => Assert.Contains(reason, CachedReasons));
    }

    private static IEnumerable<IncrementalStepRunReason> Reasons(IEnumerable<IncrementalGeneratorRunStep> steps) =>
        steps.SelectMany(s => s.Outputs).Select(o => o.Reason);
}
