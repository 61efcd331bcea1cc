using Microsoft.CodeAnalysis;

namespace SearchSpaceDsl.Generators.Tests;

/// <summary>Inputs that once made the generator throw or misbehave, found by the robustness test.</summary>
public sealed class RegressionTests
{
    private const string Header = """
        using System.Collections.Immutable;
        using SearchSpaceDsl;

        """;

    [Fact]
    public void Two_annotated_parts_in_one_file_are_processed_once()
    {
        // [SearchSpace] twice is the compiler's CS0579; the generator must still emit one file, not throw on a duplicate hint name.
        var run = GeneratorHarness.Run(Header + """
            namespace Demo;
            [SearchSpace]
            public sealed partial class Arch
            {
                [Choice(1, 2)] public partial int Width { get; }
            }
            [SearchSpace]
            public sealed partial class Arch
            {
            }
            """);

        AssertNoCrash(run);
        Assert.Single(run.Sources);
    }

    [Fact]
    public void Two_annotated_parts_in_two_files_are_processed_once()
    {
        var run = GeneratorHarness.Run(
            Header + "namespace Demo; [SearchSpace] public sealed partial class Arch { [Choice(1, 2)] public partial int Width { get; } }",
            Header + "namespace Demo; [SearchSpace] public sealed partial class Arch { }");

        AssertNoCrash(run);
        Assert.Single(run.Sources);
    }

    [Fact]
    public void An_array_inside_the_choice_list_is_a_diagnostic()
    {
        var run = GeneratorHarness.Run(Header + """
            namespace Demo;
            [SearchSpace]
            public sealed partial class Arch
            {
                [Choice(new[] { 1 }, 2)] public partial int Width { get; }
            }
            """);

        AssertNoCrash(run);
        Assert.Equal(["SSD0009"], run.GeneratorDiagnostics.Select(d => d.Id));
    }

    [Fact]
    public void A_namespace_and_a_type_of_the_same_name_do_not_crash_the_generator()
    {
        // Demo.Outer is both a namespace and a class (the compiler's CS0101); both spaces would get the hint name Demo.Outer.Arch.g.cs.
        var run = GeneratorHarness.Run(
            Header + "namespace Demo.Outer { [SearchSpace] public sealed partial class Arch { [Choice(1, 2)] public partial int Width { get; } } }",
            Header + "namespace Demo { public partial class Outer { [SearchSpace] public sealed partial class Arch { [Choice(1, 2)] public partial int Width { get; } } } }");

        AssertNoCrash(run);
        Assert.Equal(["Demo.Outer+Arch.g.cs", "Demo.Outer.Arch.g.cs"], run.Sources.Select(s => s.HintName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_class_and_a_record_of_the_same_name_do_not_crash_the_generator()
    {
        // Two distinct symbols (the compiler's CS0101) with one hint name: both are now SSD0002.
        var run = GeneratorHarness.Run(Header + """
            namespace Demo;
            [SearchSpace] public sealed partial class Arch { [Choice(1, 2)] public partial int Width { get; } }
            [SearchSpace] public sealed partial record Arch { [Choice(1, 2)] public partial int Width { get; } }
            """);

        AssertNoCrash(run);
        Assert.Equal(["SSD0002", "SSD0002"], run.GeneratorDiagnostics.Select(d => d.Id));
    }

    [Fact]
    public void A_required_choice_is_rejected_rather_than_generating_code_that_does_not_compile()
    {
        var run = GeneratorHarness.Run(Header + """
            namespace Demo;
            [SearchSpace] public sealed partial record Arch { [Choice(1, 2)] public required partial int Width { get; init; } }
            """);

        AssertNoCrash(run);
        Assert.Equal(["SSD0004"], run.GeneratorDiagnostics.Select(d => d.Id));
    }

    [Theory]
    [InlineData("public sealed class PerLayerAttribute(params string[] depth) : System.Attribute;", "[Choice(1, 2), PerLayer(\"Layers\", \"x\")] public partial ImmutableArray<int> Heads { get; }")]
    [InlineData("public sealed class ChoiceAttribute(int a, int b) : System.Attribute;", "[Choice(1, 2)] public partial int Heads { get; }")]
    [InlineData("public sealed class ChoiceAttribute(int[] a, int[] b) : System.Attribute;", "[Choice(new[] { 1 }, new[] { 2 })] public partial int Heads { get; }")]
    [InlineData("public sealed class ConstraintAttribute(string[] a, string b) : System.Attribute;", "[Choice(1, 2)] public partial int Heads { get; }")]
    [InlineData("public sealed class PerLayerAttribute(int depth) : System.Attribute;", "[Choice(1, 2), PerLayer(3)] public partial ImmutableArray<int> Heads { get; }")]
    public void Attributes_redeclared_in_source_do_not_crash_the_generator(string attribute, string property)
    {
        var run = GeneratorHarness.Run(
            "namespace SearchSpaceDsl; " + attribute,
            Header + $$"""
                namespace Demo;
                [SearchSpace]
                [Constraint(new[] { "Fits" }, "m")]
                public sealed partial class Arch
                {
                    [Choice(1, 2)] public partial int Layers { get; }
                    {{property}}
                    private static bool Fits(Arch a) => true;
                }
                """);

        AssertNoCrash(run);
    }

    private static void AssertNoCrash(GeneratorRun run)
    {
        Assert.Null(run.Result.Exception);
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id is "SSD9999" or "CS8784" or "CS8785");
    }
}
