namespace SearchSpaceDsl.Generators.Tests;

/// <summary>Annotated sources shared by the approved-output, robustness and other generator tests.</summary>
internal static class SampleSources
{
    public const string Arch = """
        using System.Collections.Immutable;
        using SearchSpaceDsl;
        namespace Demo;
        public enum Act { Relu, Gelu }
        [SearchSpace]
        [Constraint(nameof(Fits), "heads must divide the width")]
        public sealed partial class Arch
        {
            [Choice(64, 128)] public partial int Width { get; }
            [Choice(1, 2, 3)] public partial int Layers { get; }
            [Choice(2, 4), PerLayer(nameof(Layers))] public partial ImmutableArray<int> Heads { get; }
            [Choice(0.5, 1.0)] public partial double Dropout { get; }
            [Choice] public partial bool Bias { get; }
            [Choice(Act.Gelu, Act.Relu)] public partial Act Activation { get; }
            private static bool Fits(Arch a) => true;
        }
        """;

    // A record class with init accessors, nested in a static class of the global namespace.
    public const string NestedRecord = """
        using System.Collections.Immutable;
        using SearchSpaceDsl;

        public static partial class Models
        {
            [SearchSpace]
            public partial record class Block
            {
                [Choice(1, 2, 4)] public partial int Depth { get; init; }
                [Choice(0.0, 0.1, 0.25), PerLayer(nameof(Depth))] public partial ImmutableArray<double> Dropout { get; init; }
                [Choice(true, false)] public partial bool Residual { get; init; }
            }
        }
        """;

    // Bare [Choice] on an enum (with an alias that must not become a second choice) and on a bool.
    public const string BareEnum = """
        using SearchSpaceDsl;
        namespace Demo.Enums;
        public enum Norm { LayerNorm, RmsNorm, None = 7, Default = LayerNorm }
        [SearchSpace]
        internal sealed partial class Small
        {
            [Choice] public partial Norm Norm { get; }
            [Choice] public partial bool Bias { get; }
        }
        """;

    // An unsealed class: keyword-named choices (parameters need '@'), an internal per-layer choice with 'private init'.
    public const string Unsealed = """
        using System.Collections.Immutable;
        using SearchSpaceDsl;
        namespace Demo.Open;
        public enum Kind { A, B, C }
        [SearchSpace]
        public partial class Layered
        {
            [Choice(0, 1, 2)] public partial int Class { get; }
            [Choice(8, 16), PerLayer(nameof(Class))] internal partial ImmutableArray<int> Event { get; private init; }
            [Choice(Kind.C, Kind.A), PerLayer(nameof(Class))] public partial ImmutableArray<Kind> Kinds { get; }
        }
        """;

    // The README's supernet: a GPT whose layers are sized by the choices of its architecture (tied head, per-layer lists).
    public const string TinyGptSupernet = """
        using System.Collections.Immutable;
        using SearchSpaceDsl;
        using SearchSpaceDsl.Supernets;
        using TorchSharp;
        using TorchSharp.Modules;
        using static TorchSharp.torch;
        namespace Demo.Models;
        [SearchSpace]
        public sealed partial class TinyGptArchitecture
        {
            [Choice(16, 24)] public partial int EmbedDim { get; }
            [Choice(1, 2, 3)] public partial int Layers { get; }
            [Choice(1, 2), PerLayer(nameof(Layers))] public partial ImmutableArray<int> Heads { get; }
            [Choice(2, 4), PerLayer(nameof(Layers))] public partial ImmutableArray<int> MlpRatio { get; }
            [Choice(true, false)] public partial bool Bias { get; }
        }
        [Supernet(typeof(TinyGptArchitecture))]
        public sealed partial class TinyGptModel : nn.Module<Tensor, Tensor>
        {
            [Embedding(Vocab = 89, Dim = nameof(TinyGptArchitecture.EmbedDim), TiedHead = true)] private partial EntangledEmbedding Tokens { get; }
            [Embedding(Vocab = 128, Dim = nameof(TinyGptArchitecture.EmbedDim))] private partial EntangledEmbedding Positions { get; }
            [PerLayer(nameof(TinyGptArchitecture.Layers)), LayerNorm(Dim = nameof(TinyGptArchitecture.EmbedDim))] private partial ModuleList<EntangledLayerNorm> Norm1 { get; }
            [PerLayer(nameof(TinyGptArchitecture.Layers)), SelfAttention(Dim = nameof(TinyGptArchitecture.EmbedDim), Heads = nameof(TinyGptArchitecture.Heads), HeadSize = 16, Bias = nameof(TinyGptArchitecture.Bias))] private partial ModuleList<EntangledSelfAttention> Attention { get; }
            [PerLayer(nameof(TinyGptArchitecture.Layers)), LayerNorm(Dim = nameof(TinyGptArchitecture.EmbedDim))] private partial ModuleList<EntangledLayerNorm> Norm2 { get; }
            [PerLayer(nameof(TinyGptArchitecture.Layers)), Mlp(Dim = nameof(TinyGptArchitecture.EmbedDim), HiddenRatio = nameof(TinyGptArchitecture.MlpRatio), Bias = nameof(TinyGptArchitecture.Bias))] private partial ModuleList<EntangledMlp> Mlp { get; }
            [LayerNorm(Dim = nameof(TinyGptArchitecture.EmbedDim))] private partial EntangledLayerNorm FinalNorm { get; }

            public override Tensor forward(Tensor tokens)
            {
                var x = Tokens.forward(tokens);
                for (var i = 0; i < Active.Layers; i++)
                    x = x + Mlp[i].forward(Norm2[i].forward(x + Attention[i].forward(Norm1[i].forward(x))));
                return FinalNorm.forward(x).matmul(Tokens.ActiveWeight.t());
            }
        }
        """;

    // Grouped-query attention with chosen groups and head size, RMSNorm, a linear head, nesting, OnCreated, internal layers.
    public const string GroupedSupernet = """
        using System.Collections.Immutable;
        using SearchSpaceDsl;
        using SearchSpaceDsl.Supernets;
        using TorchSharp;
        using TorchSharp.Modules;
        using static TorchSharp.torch;
        namespace Zoo.Llama;
        public static partial class Family
        {
            [SearchSpace]
            public sealed partial class Arch
            {
                [Choice(32, 64)] public partial int Width { get; }
                [Choice(0, 2, 4)] public partial int Depth { get; }
                [Choice(1, 2)] public partial int Groups { get; }
                [Choice(4, 8)] public partial int HeadSize { get; }
                [Choice(2, 4), PerLayer(nameof(Depth))] public partial ImmutableArray<int> Heads { get; }
                [Choice(64, 128), PerLayer(nameof(Depth))] public partial ImmutableArray<int> Hidden { get; }
                [Choice] public partial bool Bias { get; }
            }

            [Supernet(typeof(Arch))]
            internal partial class Llama : nn.Module<Tensor, Tensor>
            {
                [Embedding(Vocab = 100, Dim = nameof(Arch.Width))] internal partial EntangledEmbedding Embed { get; }
                [PerLayer(nameof(Arch.Depth)), RmsNorm(Dim = nameof(Arch.Width))] internal partial ModuleList<EntangledRmsNorm> QKVNorm { get; }
                [PerLayer(nameof(Arch.Depth)), SelfAttention(Dim = nameof(Arch.Width), Heads = nameof(Arch.Heads), HeadSize = nameof(Arch.HeadSize), KvGroups = nameof(Arch.Groups), Bias = false)]
                internal partial ModuleList<EntangledSelfAttention> Attention { get; }
                [PerLayer(nameof(Arch.Depth)), Mlp(Dim = nameof(Arch.Width), Hidden = nameof(Arch.Hidden), Bias = nameof(Arch.Bias))] protected partial ModuleList<EntangledMlp> Mlp { get; }
                [Linear(In = nameof(Arch.Width), Out = 100, Bias = nameof(Arch.Bias))] public partial EntangledLinear LmHead { get; }
                [RmsNorm(Dim = 32)] private partial EntangledRmsNorm Fixed { get; }

                public bool Created { get; private set; }

                partial void OnCreated();
                partial void OnCreated() => Created = true;

                public override Tensor forward(Tensor tokens) => LmHead.forward(Embed.forward(tokens));
            }
        }
        """;
}

