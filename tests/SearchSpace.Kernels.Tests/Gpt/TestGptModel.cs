using System.Collections.Immutable;
using SearchSpaceDsl.Supernets;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Kernels.Tests.Gpt;

/// <summary>
/// A TinyGpt-family space small enough for ILGPU's CPU accelerator: width 16-32, 1-2 blocks, 1-4 heads of 8 per layer,
/// MLP ratio 1-2 per layer, bias on or off.
/// </summary>
[SearchSpace]
public sealed partial class TestGptArchitecture
{
    /// <summary>The fixed head size.</summary>
    public const int HeadSize = 8;

    [Choice(16, 24, 32)] public partial int EmbedDim { get; }

    [Choice(1, 2)] public partial int Layers { get; }

    [Choice(1, 2, 4), PerLayer(nameof(Layers))] public partial ImmutableArray<int> Heads { get; }

    [Choice(1, 2), PerLayer(nameof(Layers))] public partial ImmutableArray<int> MlpRatio { get; }

    [Choice(true, false)] public partial bool Bias { get; }
}

/// <summary>
/// The structure of <c>samples/TinyGpt/TinyGptModel.cs</c> (and of HW-GPT-Bench's GPT-2) at tiny sizes: token and position
/// embeddings, pre-norm blocks of causal self-attention and a GELU MLP, a final LayerNorm, a head tied to the token embedding.
/// </summary>
[Supernet(typeof(TestGptArchitecture))]
public sealed partial class TestGptModel : nn.Module<Tensor, Tensor>
{
    public const int Vocab = 13;
    public const int Context = 8;

    [Embedding(Vocab = Vocab, Dim = nameof(TestGptArchitecture.EmbedDim), TiedHead = true)]
    private partial EntangledEmbedding Tokens { get; }

    [Embedding(Vocab = Context, Dim = nameof(TestGptArchitecture.EmbedDim))]
    private partial EntangledEmbedding Positions { get; }

    [PerLayer(nameof(TestGptArchitecture.Layers)), LayerNorm(Dim = nameof(TestGptArchitecture.EmbedDim))]
    private partial ModuleList<EntangledLayerNorm> Norm1 { get; }

    [PerLayer(nameof(TestGptArchitecture.Layers))]
    [SelfAttention(Dim = nameof(TestGptArchitecture.EmbedDim), Heads = nameof(TestGptArchitecture.Heads), HeadSize = TestGptArchitecture.HeadSize, Bias = nameof(TestGptArchitecture.Bias))]
    private partial ModuleList<EntangledSelfAttention> Attention { get; }

    [PerLayer(nameof(TestGptArchitecture.Layers)), LayerNorm(Dim = nameof(TestGptArchitecture.EmbedDim))]
    private partial ModuleList<EntangledLayerNorm> Norm2 { get; }

    [PerLayer(nameof(TestGptArchitecture.Layers))]
    [Mlp(Dim = nameof(TestGptArchitecture.EmbedDim), HiddenRatio = nameof(TestGptArchitecture.MlpRatio), Bias = nameof(TestGptArchitecture.Bias))]
    private partial ModuleList<EntangledMlp> Mlp { get; }

    [LayerNorm(Dim = nameof(TestGptArchitecture.EmbedDim))]
    private partial EntangledLayerNorm FinalNorm { get; }

    public override Tensor forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var architecture = Active;
        var positions = arange(tokens.size(1), dtype: int64, device: tokens.device);
        var x = Tokens.forward(tokens) + Positions.forward(positions);
        for (int layer = 0; layer < architecture.Layers; layer++)
        {
            x = x + Attention[layer].forward(Norm1[layer].forward(x));
            x = x + Mlp[layer].forward(Norm2[layer].forward(x));
        }
        return FinalNorm.forward(x).matmul(Tokens.ActiveWeight.t()).MoveToOuterDisposeScope();
    }
}
