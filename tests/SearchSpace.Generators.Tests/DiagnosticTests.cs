using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using SearchSpaceDsl.Generators.Diagnostics;

namespace SearchSpaceDsl.Generators.Tests;

/// <summary>
/// One test per diagnostic: a minimal misuse, the exact span (marked <c>{|ID:…|}</c> in the source), and a message
/// that names the offending member. Only the generator's diagnostics are compared; the compiler's own errors on
/// the same code are allowed. A space with errors generates no source. Each test expects exactly the marked set, so
/// a follow-on diagnostic (say SSD0017 "no choices" when the only choice is broken) fails it too.
/// </summary>
public sealed partial class DiagnosticTests
{
    private const string Header = """
        using System.Collections.Immutable;
        using SearchSpaceDsl;
        namespace T;

        """;

    [Fact]
    public void SSD0001_type_not_partial() => Expect("""
        [SearchSpace]
        public sealed class {|SSD0001:Arch|}
        {
            [Choice(1, 2)] public partial int Width { get; }
        }
        """, "Arch");

    [Theory]
    [InlineData("public abstract partial class {|SSD0002:Arch|}", "it is abstract")]
    [InlineData("public sealed partial class {|SSD0002:Arch|}<TValue>", "it is generic")]
    [InlineData("public static partial class {|SSD0002:Arch|}", "it is static")]
    [InlineData("public partial record struct {|SSD0002:Arch|}", "it is a record struct")]
    [InlineData("public partial struct {|SSD0002:Arch|}", "it is a struct")]
    [InlineData("public partial interface {|SSD0002:Arch|}", "interface")]
    [InlineData("public sealed partial class {|SSD0002:Arch|}(int width)", "primary constructor")]
    public void SSD0002_unsupported_type(string declaration, string reason) => Expect($$"""
        [SearchSpace]
        {{declaration}}
        {
            [Choice(1, 2)] public partial int Width { get; }
        }
        """, "Arch", reason);

    [Fact]
    public void SSD0002_nested_in_generic_type() => Expect("""
        public partial class Outer<TValue>
        {
            [SearchSpace]
            public sealed partial class {|SSD0002:Arch|}
            {
                [Choice(1, 2)] public partial int Width { get; }
            }
        }
        """, "Arch", "nested in the generic type 'Outer'");

    [Fact]
    public void SSD0002_primary_constructor_on_another_part() => Expect("""
        [SearchSpace]
        public sealed partial record {|SSD0002:Arch|}
        {
            [Choice(1, 2)] public partial int Width { get; }
        }
        public sealed partial record Arch(int Other);
        """, "Arch", "primary constructor");

    [Fact]
    public void SSD0002_another_type_of_the_same_name() => Expect("""
        [SearchSpace]
        public sealed partial class {|SSD0002:Arch|}
        {
            [Choice(1, 2)] public partial int Width { get; }
        }
        public sealed partial record Arch;
        """, "Arch", "also named 'Arch'");

    [Fact]
    public void SSD0003_containing_type_not_partial() => Expect("""
        public static class Outer
        {
            [SearchSpace]
            public sealed partial class {|SSD0003:Arch|}
            {
                [Choice(1, 2)] public partial int Width { get; }
            }
        }
        """, "Arch", "'Outer'");

    [Theory]
    [InlineData("public int {|SSD0004:Width|} { get; }")]
    [InlineData("public partial int {|SSD0004:Width|} { get; set; }")]
    [InlineData("public static partial int {|SSD0004:Width|} { get; }")]
    [InlineData("public partial int {|SSD0004:Width|} { get => 1; }")]
    [InlineData("public partial int {|SSD0004:Width|} { init; }")]
    [InlineData("public required partial int {|SSD0004:Width|} { get; init; }")]
    public void SSD0004_choice_not_partial_property(string property) => Expect($$"""
        [SearchSpace]
        public sealed partial class Arch
        {
            [Choice(1, 2)] {{property}}
        }
        """, "Width");

    [Theory]
    [InlineData("string")]
    [InlineData("int?")]
    [InlineData("long")]
    [InlineData("ImmutableArray<string>")]
    [InlineData("System.Collections.Generic.List<int>")]
    public void SSD0005_unsupported_value_type(string type) => Expect($$"""
        [SearchSpace]
        public sealed partial class Arch
        {
            [Choice(1, 2), PerLayer(nameof(Layers))] public partial {|SSD0005:{{type}}|} Width { get; }
            [Choice(1, 2)] public partial int Layers { get; }
        }
        """, "Width");

    [Theory]
    [InlineData("{|SSD0006:Choice|}")]
    [InlineData("{|SSD0006:Choice(new int[0])|}")]
    [InlineData("{|SSD0006:Choice((int[])null)|}")]
    public void SSD0006_empty_choices(string attribute) => Expect($$"""
        [SearchSpace]
        public sealed partial class Arch
        {
            [{{attribute}}] public partial int Width { get; }
        }
        """, "Width");

    [Fact]
    public void SSD0006_bare_choice_on_empty_enum() => Expect("""
        public enum Nothing { }
        [SearchSpace]
        public sealed partial class Arch
        {
            [{|SSD0006:Choice|}] public partial Nothing Kind { get; }
        }
        """, "Kind");

    [Theory]
    [InlineData("int", "64, 128, {|SSD0007:64|}")]
    [InlineData("double", "0.5, {|SSD0007:0.50|}")]
    [InlineData("bool", "true, {|SSD0007:true|}")]
    [InlineData("Act", "Act.Relu, {|SSD0007:Act.Relu|}")]
    public void SSD0007_duplicate_choice(string type, string values) => Expect($$"""
        public enum Act { Relu, Gelu }
        [SearchSpace]
        public sealed partial class Arch
        {
            [Choice({{values}})] public partial {{type}} Width { get; }
        }
        """, "Width");

    [Theory]
    [InlineData("int", "128, {|SSD0008:64|}")]
    [InlineData("double", "0.1, 0.3, {|SSD0008:0.2|}")]
    public void SSD0008_unsorted_choices(string type, string values) => Expect($$"""
        [SearchSpace]
        public sealed partial class Arch
        {
            [Choice({{values}})] public partial {{type}} Width { get; }
        }
        """, "Width");

    [Theory]
    [InlineData("int", "{|SSD0009:1.5|}")]
    [InlineData("bool", "{|SSD0009:1|}, {|SSD0009:2|}")]
    [InlineData("Act", "Act.Relu, {|SSD0009:Other.X|}")]
    [InlineData("int", "{|SSD0009:\"text\"|}")]
    [InlineData("double", "{|SSD0009:true|}")]
    [InlineData("int", "{|SSD0009:new[] { 1 }|}, 2")]
    [InlineData("Act", "{|SSD0009:new Act[] { Act.Gelu }|}")]
    public void SSD0009_choice_value_mismatch(string type, string values) => Expect($$"""
        public enum Act { Relu, Gelu }
        public enum Other { X }
        [SearchSpace]
        public sealed partial class Arch
        {
            [Choice({{values}})] public partial {{type}} Width { get; }
        }
        """, "Width");

    [Fact]
    public void SSD0010_depth_not_found() => Expect("""
        [SearchSpace]
        public sealed partial class Arch
        {
            [Choice(2, 4), PerLayer({|SSD0010:"Depth"|})] public partial ImmutableArray<int> Heads { get; }
        }
        """, "Heads", "'Depth'");

    [Theory]
    [InlineData("[Choice(0.5, 1.0)] public partial double Rate { get; }", "is a double choice")]
    [InlineData("[Choice(1, 2), PerLayer(nameof(Width))] public partial ImmutableArray<int> Rate { get; }", "is itself a per-layer choice")]
    public void SSD0011_depth_not_int_choice(string depth, string problem) => Expect($$"""
        [SearchSpace]
        public sealed partial class Arch
        {
            [Choice(1, 2)] public partial int Width { get; }
            {{depth}}
            [Choice(2, 4), PerLayer({|SSD0011:nameof(Rate)|})] public partial ImmutableArray<int> Heads { get; }
        }
        """, "Heads", problem);

    [Fact]
    public void SSD0012_per_layer_needs_array() => Expect("""
        [SearchSpace]
        public sealed partial class Arch
        {
            [Choice(1, 2)] public partial int Layers { get; }
            [Choice(2, 4), PerLayer(nameof(Layers))] public partial int {|SSD0012:Heads|} { get; }
        }
        """, "Heads", "ImmutableArray<int>");

    [Fact]
    public void SSD0013_array_needs_per_layer() => Expect("""
        [SearchSpace]
        public sealed partial class Arch
        {
            [Choice(2, 4)] public partial ImmutableArray<int> {|SSD0013:Heads|} { get; }
        }
        """, "Heads");

    [Fact]
    public void SSD0014_negative_depth() => Expect("""
        [SearchSpace]
        public sealed partial class Arch
        {
            [{|SSD0014:Choice(-2, -1, 2)|}] public partial int Layers { get; }
            [Choice(2, 4), PerLayer(nameof(Layers))] public partial ImmutableArray<int> Heads { get; }
            [Choice(2, 4), PerLayer(nameof(Layers))] public partial ImmutableArray<int> Widths { get; }
        }
        """, "Layers", "-2");

    [Theory]
    [InlineData("\"Missing\"", "Missing")]
    [InlineData("nameof(Width)", "Width")]
    [InlineData("\"\"", "")]
    public void SSD0015_constraint_not_found(string predicate, string name) => Expect($$"""
        [SearchSpace]
        [Constraint({|SSD0015:{{predicate}}|}, "a message")]
        public sealed partial class Arch
        {
            [Choice(1, 2)] public partial int Width { get; }
        }
        """, name);

    [Theory]
    [InlineData("private bool Fits(Arch a) => true;")]
    [InlineData("private static int Fits(Arch a) => 1;")]
    [InlineData("private static bool Fits(Arch a, int b) => true;")]
    [InlineData("private static bool Fits(ref Arch a) => true;")]
    [InlineData("private static bool Fits<TArch>(Arch a) => true;")]
    [InlineData("private static bool Fits(object a) => true;")]
    public void SSD0016_constraint_signature(string method) => Expect($$"""
        [SearchSpace]
        [Constraint({|SSD0016:nameof(Fits)|}, "a message")]
        public sealed partial class Arch
        {
            [Choice(1, 2)] public partial int Width { get; }
            {{method}}
        }
        """, "Fits");

    [Fact]
    public void SSD0017_no_choices() => Expect("""
        [SearchSpace]
        public sealed partial class {|SSD0017:Arch|}
        {
            public int Width => 1;
        }
        """, "Arch");

    [Fact]
    public void SSD0018_per_layer_without_choice() => Expect("""
        [SearchSpace]
        public sealed partial class Arch
        {
            [Choice(1, 2)] public partial int Layers { get; }
            [PerLayer(nameof(Layers))] public partial ImmutableArray<int> {|SSD0018:Heads|} { get; }
        }
        """, "Heads");

    [Theory]
    [InlineData("Space")]
    [InlineData("Parse")]
    [InlineData("EqualityContract")]
    [InlineData("Arch")]
    public void SSD0019_reserved_name(string name) => Expect($$"""
        [SearchSpace]
        public sealed partial class Arch
        {
            [Choice(1, 2)] public partial int Width { get; }
            [Choice(1, 2)] public new partial int {|SSD0019:{{name}}|} { get; }
        }
        """, name);

    [Theory]
    [InlineData("double.PositiveInfinity")]
    [InlineData("double.NegativeInfinity")]
    [InlineData("double.NaN")]
    [InlineData("1e308 * 10")]
    public void SSD0020_non_finite_choice(string value) => Expect($$"""
        [SearchSpace]
        public sealed partial class Arch
        {
            [Choice(0.5, {|SSD0020:{{value}}|})] public partial double Rate { get; }
        }
        """, "Rate");

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"   \"")]
    [InlineData("null")]
    public void SSD0021_constraint_message_missing(string message) => Expect($$"""
        [SearchSpace]
        [Constraint(nameof(Fits), {|SSD0021:{{message}}|})]
        public sealed partial class Arch
        {
            [Choice(1, 2)] public partial int Width { get; }
            private static bool Fits(Arch a) => true;
        }
        """, "Fits");

    [Fact]
    public void Every_diagnostic_has_a_test()
    {
        var ids = typeof(Descriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => ((DiagnosticDescriptor)f.GetValue(null)!).Id)
            .Where(id => id != Descriptors.InternalError.Id);
        var tested = typeof(DiagnosticTests).GetMethods()
            .Where(m => m.GetCustomAttributes<FactAttribute>().Any())
            .Select(m => m.Name.Split('_')[0])
            .ToHashSet();
        var untested = ids.Except(tested).Order().ToList();
        Assert.True(untested.Count == 0, "No test for " + string.Join(", ", untested));
    }

    [Fact]
    public void A_valid_space_reports_nothing()
    {
        var run = GeneratorHarness.Run(Header + """
            [SearchSpace]
            [Constraint(nameof(Fits), "a message")]
            public sealed partial class Arch
            {
                [Choice(1, 2)] public partial int Layers { get; }
                [Choice(2, 4), PerLayer(nameof(Layers))] public partial ImmutableArray<int> Heads { get; }
                private static bool Fits(Arch a) => true;
            }
            """);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Single(run.Sources);
    }

    /// <summary>
    /// Runs the generator on <paramref name="markup"/> (after <see cref="Header"/>) and checks that it reports exactly the
    /// marked diagnostics, that each message names <paramref name="member"/> in quotes and contains the extra
    /// <paramref name="fragments"/>, and that nothing is generated.
    /// </summary>
    private static void Expect(string markup, string member, params string[] fragments)
    {
        var (source, expected) = TestMarkup.Parse(Header + markup);
        var run = GeneratorHarness.Run(source);
        var text = SourceText.From(source);

        Assert.Null(run.Result.Exception);
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id is "SSD9999" or "CS8784" or "CS8785");
        var actual = run.GeneratorDiagnostics
            .Select(d => new ExpectedDiagnostic(d.Id, d.Location.SourceSpan))
            .OrderBy(d => d.Span.Start).ThenBy(d => d.Id);
        Assert.Equal(expected.OrderBy(d => d.Span.Start).ThenBy(d => d.Id), actual);

        foreach (var diagnostic in run.GeneratorDiagnostics)
        {
            // The generator reports file, span and line span (its cached locations carry no syntax tree): check all three.
            var lineSpan = diagnostic.Location.GetLineSpan();
            Assert.Equal("Input0.cs", lineSpan.Path);
            Assert.Equal(text.Lines.GetLinePositionSpan(diagnostic.Location.SourceSpan), lineSpan.Span);
            Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
            string message = diagnostic.GetMessage();
            Assert.Contains($"'{member}'", message);
            foreach (string fragment in fragments)
                Assert.Contains(fragment, message);
        }
        Assert.Empty(run.Sources);
    }
}
