using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace SearchSpaceDsl.Generators.Tests;

/// <summary>
/// The diagnostics of [Supernet] model classes, one test each, as for search spaces: exact spans, the member named in the
/// message, nothing generated for the model. The architecture they name (<see cref="Architecture"/>) is a valid space
/// in a second file, whose own source is generated.
/// </summary>
public sealed partial class DiagnosticTests
{
    private const string SupernetHeader = """
        using SearchSpaceDsl;
        using SearchSpaceDsl.Supernets;
        using TorchSharp;
        using TorchSharp.Modules;
        using static TorchSharp.torch;
        namespace T;

        """;

    private const string Architecture = """
        using System.Collections.Immutable;
        using SearchSpaceDsl;
        namespace T;
        public enum Mode { A, B }
        [SearchSpace]
        public sealed partial class Arch
        {
            [Choice(16, 32)] public partial int Dim { get; }
            [Choice(1, 2)] public partial int Layers { get; }
            [Choice(1, 2)] public partial int Blocks { get; }
            [Choice(1, 2), PerLayer(nameof(Layers))] public partial ImmutableArray<int> Heads { get; }
            [Choice(1, 2), PerLayer(nameof(Blocks))] public partial ImmutableArray<int> Experts { get; }
            [Choice(0.5, 1.0)] public partial double Rate { get; }
            [Choice] public partial bool Bias { get; }
            [Choice] public partial Mode Mode { get; }
            [Choice(0, 8)] public partial int Padding { get; }
            [Choice(3, 6)] public partial int OddHeads { get; }
        }
        """;

    // A model class around one member declaration.
    private static string Model(string member) => $$"""
        [Supernet(typeof(Arch))]
        public sealed partial class Model : nn.Module<Tensor, Tensor>
        {
            {{member}}
            public override Tensor forward(Tensor x) => x;
        }
        """;

    [Fact]
    public void SSD0022_supernet_not_partial() => ExpectSupernet("""
        [Supernet(typeof(Arch))]
        public sealed class {|SSD0022:Model|} : nn.Module<Tensor, Tensor>
        {
            public Model() : base("m") { }
            public override Tensor forward(Tensor x) => x;
        }
        """, "Model");

    [Theory]
    [InlineData("public abstract partial class {|SSD0023:Model|} : nn.Module<Tensor, Tensor>", "it is abstract")]
    [InlineData("public sealed partial class {|SSD0023:Model|}<TValue> : nn.Module<Tensor, Tensor>", "it is generic")]
    [InlineData("public sealed partial class {|SSD0023:Model|}", "derives from 'object'")]
    [InlineData("public sealed partial class {|SSD0023:Model|} : nn.Module", "derives from 'TorchSharp.torch.nn.Module'")]
    [InlineData("public sealed partial class {|SSD0023:Model|} : nn.Module<Tensor, Tensor, Tensor>", "not directly from torch.nn.Module<Tensor, Tensor>")]
    [InlineData("public sealed partial class {|SSD0023:Model|}(string name) : nn.Module<Tensor, Tensor>(name)", "primary constructor")]
    [InlineData("public sealed partial record {|SSD0023:Model|}", "it is a record")]
    [InlineData("public partial struct {|SSD0023:Model|}", "it is a struct")]
    public void SSD0023_unsupported_supernet_type(string declaration, string reason) => ExpectSupernet($$"""
        [Supernet(typeof(Arch))]
        {{declaration}}
        {
        }
        """, "Model", reason);

    [Fact]
    public void SSD0023_nested_in_a_type_that_is_not_partial() => ExpectSupernet("""
        public class Outer
        {
            [Supernet(typeof(Arch))]
            public sealed partial class {|SSD0023:Model|} : nn.Module<Tensor, Tensor>
            {
                public override Tensor forward(Tensor x) => x;
            }
        }
        """, "Model", "'Outer', which is not partial");

    [Theory]
    [InlineData("typeof(string)", "'string'")]
    [InlineData("typeof(Mode)", "'T.Mode'")]
    public void SSD0024_architecture_not_a_search_space(string argument, string fragment) => ExpectSupernet($$"""
        [Supernet({|SSD0024:{{argument}}|})]
        public sealed partial class Model : nn.Module<Tensor, Tensor>
        {
            public override Tensor forward(Tensor x) => x;
        }
        """, "Model", fragment);

    [Theory]
    [InlineData("[LayerNorm(Dim = 16)] private EntangledLayerNorm {|SSD0025:Norm|} { get; }")]
    [InlineData("[LayerNorm(Dim = 16)] private partial EntangledLayerNorm {|SSD0025:Norm|} { get; set; }")]
    [InlineData("[LayerNorm(Dim = 16)] private partial EntangledLayerNorm {|SSD0025:Norm|} { get; init; }")]
    [InlineData("[LayerNorm(Dim = 16)] private static partial EntangledLayerNorm {|SSD0025:Norm|} { get; }")]
    [InlineData("[LayerNorm(Dim = 16)] private partial EntangledLayerNorm {|SSD0025:Norm|} { get => null!; }")]
    public void SSD0025_layer_not_a_partial_get_only_property(string member) => ExpectSupernet(Model(member), "Norm");

    [Theory]
    [InlineData("[LayerNorm(Dim = 16)] private partial {|SSD0026:EntangledRmsNorm|} Norm { get; }", "needs 'EntangledLayerNorm'")]
    [InlineData("[LayerNorm(Dim = 16)] private partial {|SSD0026:ModuleList<EntangledLayerNorm>|} Norm { get; }", "needs 'EntangledLayerNorm'")]
    [InlineData("[PerLayer(nameof(Arch.Layers)), LayerNorm(Dim = 16)] private partial {|SSD0026:EntangledLayerNorm|} Norm { get; }", "needs 'ModuleList<EntangledLayerNorm>'")]
    [InlineData("[LayerNorm(Dim = 16)] private partial {|SSD0026:EntangledLayerNorm?|} Norm { get; }", "needs 'EntangledLayerNorm'")]
    public void SSD0026_layer_type_mismatch(string member, string fragment) => ExpectSupernet(Model(member), "Norm", fragment);

    [Theory]
    [InlineData("[LayerNorm(Dim = {|SSD0027:\"Width\"|})] private partial EntangledLayerNorm Norm { get; }", "'Width'")]
    [InlineData("[PerLayer({|SSD0027:\"Depth\"|}), LayerNorm(Dim = 16)] private partial ModuleList<EntangledLayerNorm> Norm { get; }", "'Depth'")]
    public void SSD0027_size_names_no_choice(string member, string fragment) => ExpectSupernet(Model(member), "Norm", fragment, "'Arch'");

    [Theory]
    [InlineData("[LayerNorm(Dim = {|SSD0028:nameof(Arch.Rate)|})] private partial EntangledLayerNorm Norm { get; }", "a double choice")]
    [InlineData("[LayerNorm(Dim = {|SSD0028:nameof(Arch.Bias)|})] private partial EntangledLayerNorm Norm { get; }", "a bool choice")]
    [InlineData("[LayerNorm(Dim = {|SSD0028:nameof(Arch.Mode)|})] private partial EntangledLayerNorm Norm { get; }", "an enum choice")]
    [InlineData("[Mlp(Dim = 16, Hidden = 32, Bias = {|SSD0028:nameof(Arch.Dim)|})] private partial EntangledMlp Norm { get; }", "Bias needs a bool choice")]
    [InlineData("[PerLayer({|SSD0028:nameof(Arch.Heads)|}), LayerNorm(Dim = 16)] private partial ModuleList<EntangledLayerNorm> Norm { get; }", "a per-layer int choice")]
    [InlineData("[PerLayer({|SSD0028:nameof(Arch.Bias)|}), LayerNorm(Dim = 16)] private partial ModuleList<EntangledLayerNorm> Norm { get; }", "a scalar int choice")]
    public void SSD0028_size_names_a_choice_of_the_wrong_type(string member, string fragment) => ExpectSupernet(Model(member), "Norm", fragment);

    [Fact]
    public void SSD0029_per_layer_choice_in_a_single_layer() => ExpectSupernet(Model(
        "[SelfAttention(Dim = 16, Heads = {|SSD0029:nameof(Arch.Heads)|}, HeadSize = 8)] private partial EntangledSelfAttention Attention { get; }"),
        "Attention", "[PerLayer(nameof(Layers))]");

    [Fact]
    public void SSD0030_per_layer_depths_differ() => ExpectSupernet(Model(
        "[PerLayer(nameof(Arch.Layers)), SelfAttention(Dim = 16, Heads = {|SSD0030:nameof(Arch.Experts)|}, HeadSize = 8)] private partial ModuleList<EntangledSelfAttention> Attention { get; }"),
        "Attention", "'Layers'", "'Blocks'");

    [Theory]
    [InlineData("[{|SSD0031:LayerNorm|}] private partial EntangledLayerNorm Layer { get; }", "Dim")]
    [InlineData("[{|SSD0031:Mlp|}(Dim = 16)] private partial EntangledMlp Layer { get; }", "Hidden or HiddenRatio")]
    [InlineData("[Mlp(Dim = 16, Hidden = 32, HiddenRatio = {|SSD0031:4|})] private partial EntangledMlp Layer { get; }", "not both")]
    [InlineData("[{|SSD0031:Mlp|}(HiddenRatio = 4)] private partial EntangledMlp Layer { get; }", "Dim")]
    [InlineData("[{|SSD0031:Embedding|}(Dim = 16)] private partial EntangledEmbedding Layer { get; }", "Vocab")]
    [InlineData("[{|SSD0031:SelfAttention|}(Dim = 16, Heads = 2)] private partial EntangledSelfAttention Layer { get; }", "HeadSize")]
    [InlineData("[{|SSD0031:Linear|}(In = 16)] private partial EntangledLinear Layer { get; }", "Out")]
    public void SSD0031_size_missing(string member, string fragment) => ExpectSupernet(Model(member), "Layer", fragment);

    [Theory]
    [InlineData("[LayerNorm(Dim = {|SSD0032:0|})] private partial EntangledLayerNorm Layer { get; }", "Dim = 0")]
    [InlineData("[Embedding(Vocab = {|SSD0032:-1|}, Dim = 16)] private partial EntangledEmbedding Layer { get; }", "Vocab = -1")]
    [InlineData("[SelfAttention(Dim = 16, Heads = 2, HeadSize = 8, KvGroups = {|SSD0032:0|})] private partial EntangledSelfAttention Layer { get; }", "KvGroups = 0")]
    public void SSD0032_size_not_positive(string member, string fragment) => ExpectSupernet(Model(member), "Layer", fragment);

    [Theory]
    [InlineData("[LayerNorm(Dim = {|SSD0033:1.5|})] private partial EntangledLayerNorm Layer { get; }", "not a double (1.5)")]
    [InlineData("[LayerNorm(Dim = {|SSD0033:true|})] private partial EntangledLayerNorm Layer { get; }", "an int constant")]
    [InlineData("[LayerNorm(Dim = {|SSD0033:null|})] private partial EntangledLayerNorm Layer { get; }", "not null")]
    [InlineData("[LayerNorm(Dim = {|SSD0033:typeof(int)|})] private partial EntangledLayerNorm Layer { get; }", "not a type")]
    [InlineData("[LayerNorm(Dim = {|SSD0033:Mode.A|})] private partial EntangledLayerNorm Layer { get; }", "not an enum value")]
    [InlineData("[Linear(In = 16, Out = 16, Bias = {|SSD0033:1|})] private partial EntangledLinear Layer { get; }", "a bool constant")]
    public void SSD0033_size_of_the_wrong_kind(string member, string fragment) => ExpectSupernet(Model(member), "Layer", fragment);

    [Theory]
    [InlineData("[LayerNorm(Dim = 16), RmsNorm(Dim = 16)] private partial EntangledLayerNorm {|SSD0034:Norm|} { get; }", "[LayerNorm] and [RmsNorm]")]
    [InlineData("[PerLayer(nameof(Arch.Layers))] private partial ModuleList<EntangledLayerNorm> {|SSD0034:Norm|} { get; }", "no layer attribute")]
    public void SSD0034_layer_attribute_count(string member, string fragment) => ExpectSupernet(Model(member), "Norm", fragment);

    [Fact]
    public void SSD0035_size_choice_not_positive() => ExpectSupernet(Model(
        "[LayerNorm(Dim = {|SSD0035:nameof(Arch.Padding)|})] private partial EntangledLayerNorm Norm { get; }"), "Norm", "'Padding'", "lists 0");

    [Theory]
    [InlineData("[LayerNorm(Dim = 16)] private partial EntangledLayerNorm {|SSD0036:Capacity|} { get; }", "Capacity", "a member the generator adds")]
    [InlineData("[LayerNorm(Dim = 16)] private partial EntangledLayerNorm FinalNorm { get; } [LayerNorm(Dim = 16)] private partial EntangledLayerNorm {|SSD0036:Final_Norm|} { get; }", "Final_Norm", "'final_norm' of layer 'FinalNorm'")]
    public void SSD0036_layer_name_clash(string member, string name, string fragment) => ExpectSupernet(Model(member), name, fragment);

    [Theory]
    [InlineData("[SelfAttention(Dim = 16, Heads = 3, HeadSize = 8, KvGroups = {|SSD0037:2|})] private partial EntangledSelfAttention Attention { get; }", "Heads = 3 is not a multiple of KvGroups = 2")]
    [InlineData("[SelfAttention(Dim = 16, Heads = nameof(Arch.OddHeads), HeadSize = 8, KvGroups = {|SSD0037:2|})] private partial EntangledSelfAttention Attention { get; }", "lists 3")]
    public void SSD0037_incompatible_sizes(string member, string fragment) => ExpectSupernet(Model(member), "Attention", fragment);

    [Fact]
    public void A_valid_supernet_reports_nothing()
    {
        var run = GeneratorHarness.Run(SupernetHeader + Model("""
            [Embedding(Vocab = 10, Dim = nameof(Arch.Dim), TiedHead = true)] private partial EntangledEmbedding Tokens { get; }
            [PerLayer(nameof(Arch.Layers)), SelfAttention(Dim = nameof(Arch.Dim), Heads = nameof(Arch.Heads), HeadSize = 8, Bias = nameof(Arch.Bias))] private partial ModuleList<EntangledSelfAttention> Attention { get; }
            [PerLayer(nameof(Arch.Blocks)), Mlp(Dim = nameof(Arch.Dim), HiddenRatio = nameof(Arch.Experts))] private partial ModuleList<EntangledMlp> Mlp { get; }
            [Linear(In = nameof(Arch.Dim), Out = 10, Bias = false)] private partial EntangledLinear Head { get; }
            """), Architecture);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Equal(2, run.Sources.Length);
        Assert.Empty(run.OutputDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()));
    }

    /// <summary>
    /// As <see cref="Expect"/>, for a supernet in Input0.cs (after <see cref="SupernetHeader"/>) whose architecture
    /// <see cref="Architecture"/> is in Input1.cs: exactly the marked diagnostics, all in Input0.cs, each naming
    /// <paramref name="member"/> and containing <paramref name="fragments"/>; no supernet source.
    /// </summary>
    private static void ExpectSupernet(string markup, string member, params string[] fragments)
    {
        var (source, expected) = TestMarkup.Parse(SupernetHeader + markup);
        var run = GeneratorHarness.Run(source, Architecture);
        var text = SourceText.From(source);

        Assert.Null(run.Result.Exception);
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id is "SSD9999" or "CS8784" or "CS8785");
        var actual = run.GeneratorDiagnostics
            .Select(d => new ExpectedDiagnostic(d.Id, d.Location.SourceSpan))
            .OrderBy(d => d.Span.Start).ThenBy(d => d.Id);
        Assert.Equal(expected.OrderBy(d => d.Span.Start).ThenBy(d => d.Id), actual);

        foreach (var diagnostic in run.GeneratorDiagnostics)
        {
            var lineSpan = diagnostic.Location.GetLineSpan();
            Assert.Equal("Input0.cs", lineSpan.Path);
            Assert.Equal(text.Lines.GetLinePositionSpan(diagnostic.Location.SourceSpan), lineSpan.Span);
            Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
            string message = diagnostic.GetMessage();
            Assert.Contains($"'{member}'", message);
            foreach (string fragment in fragments)
                Assert.Contains(fragment, message);
        }
        Assert.DoesNotContain(run.Sources, s => s.HintName.EndsWith("-Supernet.g.cs", StringComparison.Ordinal));
    }
}
