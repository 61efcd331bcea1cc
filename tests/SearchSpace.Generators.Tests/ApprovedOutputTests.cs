using Microsoft.CodeAnalysis;

namespace SearchSpaceDsl.Generators.Tests;

/// <summary>
/// The generated text of representative spaces, compared to the approved files in Approved/, and compiled:
/// generated code must build with no error or warning.
/// </summary>
public sealed class ApprovedOutputTests
{
    [Fact]
    public void Arch_example() => Check(nameof(SampleSources.Arch), SampleSources.Arch, "Demo.Arch.g.cs");

    [Fact]
    public void Record_with_init_nested_in_static_class() => Check(nameof(SampleSources.NestedRecord), SampleSources.NestedRecord, "Models+Block.g.cs");

    [Fact]
    public void Bare_choice_on_enum_and_bool() => Check(nameof(SampleSources.BareEnum), SampleSources.BareEnum, "Demo.Enums.Small.g.cs");

    [Fact]
    public void Unsealed_class_with_keyword_names() => Check(nameof(SampleSources.Unsealed), SampleSources.Unsealed, "Demo.Open.Layered.g.cs");

    [Fact]
    public void Supernet_of_the_readme_gpt() =>
        Check(nameof(SampleSources.TinyGptSupernet), SampleSources.TinyGptSupernet, "Demo.Models.TinyGptModel-Supernet.g.cs", "Demo.Models.TinyGptArchitecture.g.cs");

    [Fact]
    public void Supernet_with_grouped_query_attention_nested_with_on_created() =>
        Check(nameof(SampleSources.GroupedSupernet), SampleSources.GroupedSupernet, "Zoo.Llama.Family+Llama-Supernet.g.cs", "Zoo.Llama.Family+Arch.g.cs");

    private static void Check(string name, string source, string hintName, params string[] otherHintNames)
    {
        var run = GeneratorHarness.Run(source);

        Assert.Null(run.Result.Exception);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Equal([hintName, .. otherHintNames], run.Sources.Select(s => s.HintName).OrderBy(h => h == hintName ? 0 : 1));
        ApprovedFile.Verify(name, run.SourceText(hintName));

        var problems = run.OutputDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString());
        Assert.Empty(problems);
    }
}
