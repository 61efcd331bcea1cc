using SearchSpaceDsl.Supernets;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Zoo;

/// <summary>
/// The GPT-2 supernet of HW-GPT-Bench space S (<see cref="HwGptBenchS"/>): token and position embeddings, pre-norm
/// blocks of LayerNorm + causal self-attention (<see cref="HwGptBenchS.Heads"/> heads of <see cref="HeadSize"/> per
/// layer) and LayerNorm + GELU MLP (hidden <see cref="HwGptBenchS.MlpRatio"/>·<see cref="HwGptBenchS.EmbedDim"/> per
/// layer), both with the <see cref="HwGptBenchS.Bias"/> choice, a final LayerNorm and an output head tied to the token
/// embedding (no bias). The largest member is GPT-2 small: 124,439,808 parameters.
/// </summary>
/// <remarks>
/// The generator writes construction (<c>new HwGptBenchSModel(capacity)</c>, default the largest member: about 500 MB
/// of float32 weights), <c>Activate</c>, <c>Extract</c>, <c>CountParameters</c> and <c>CountFlopsPerToken</c>. The
/// attention width <c>Heads·64</c> need not equal the embedding width, as in the benchmark.
/// </remarks>
[Supernet(typeof(HwGptBenchS))]
public sealed partial class HwGptBenchSModel : nn.Module<Tensor, Tensor>
{
    /// <summary>The GPT-2 BPE vocabulary size.</summary>
    public const int Vocab = 50257;

    /// <summary>The longest sequence the position embedding covers.</summary>
    public const int Context = 1024;

    /// <summary>The size of every attention head, fixed in HW-GPT-Bench.</summary>
    public const int HeadSize = 64;

    [Embedding(Vocab = Vocab, Dim = nameof(HwGptBenchS.EmbedDim), TiedHead = true)]
    private partial EntangledEmbedding Tokens { get; }

    [Embedding(Vocab = Context, Dim = nameof(HwGptBenchS.EmbedDim))]
    private partial EntangledEmbedding Positions { get; }

    [PerLayer(nameof(HwGptBenchS.Layers)), LayerNorm(Dim = nameof(HwGptBenchS.EmbedDim))]
    private partial ModuleList<EntangledLayerNorm> Norm1 { get; }

    [PerLayer(nameof(HwGptBenchS.Layers))]
    [SelfAttention(Dim = nameof(HwGptBenchS.EmbedDim), Heads = nameof(HwGptBenchS.Heads), HeadSize = HeadSize, Bias = nameof(HwGptBenchS.Bias))]
    private partial ModuleList<EntangledSelfAttention> Attention { get; }

    [PerLayer(nameof(HwGptBenchS.Layers)), LayerNorm(Dim = nameof(HwGptBenchS.EmbedDim))]
    private partial ModuleList<EntangledLayerNorm> Norm2 { get; }

    [PerLayer(nameof(HwGptBenchS.Layers))]
    [Mlp(Dim = nameof(HwGptBenchS.EmbedDim), HiddenRatio = nameof(HwGptBenchS.MlpRatio), Bias = nameof(HwGptBenchS.Bias))]
    private partial ModuleList<EntangledMlp> Mlp { get; }

    [LayerNorm(Dim = nameof(HwGptBenchS.EmbedDim))]
    private partial EntangledLayerNorm FinalNorm { get; }

    /// <summary>Logits <c>[batch, seq, Vocab]</c> for token ids <c>[batch, seq]</c>, seq ≤ <see cref="Context"/>.</summary>
    public override Tensor forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var architecture = Active;
        var positions = arange(tokens.size(1), dtype: int64, device: tokens.device);
        var x = Tokens.forward(tokens) + Positions.forward(positions);
        for (var layer = 0; layer < architecture.Layers; layer++)
        {
            x = x + Attention[layer].forward(Norm1[layer].forward(x));
            x = x + Mlp[layer].forward(Norm2[layer].forward(x));
        }
        return FinalNorm.forward(x).matmul(Tokens.ActiveWeight.t()).MoveToOuterDisposeScope();
    }
}
