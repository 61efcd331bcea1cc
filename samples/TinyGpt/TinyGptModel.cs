using SearchSpaceDsl;
using SearchSpaceDsl.Supernets;
using SearchSpaceDsl.Supernets.Gradient;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TinyGpt;

/// <summary>
/// The character-level GPT supernet of the main job: token and position embeddings, pre-norm blocks of causal
/// self-attention (heads of <see cref="TinyGptArchitecture.HeadSize"/>) and a GELU MLP, a final LayerNorm and an output
/// head tied to the token embedding. Every layer names the choices that size it; the generator writes the rest
/// (construction, <c>Activate</c>, <c>Extract</c>, <c>CountParameters</c>, <c>CountFlopsPerToken</c>).
/// </summary>
[Supernet(typeof(TinyGptArchitecture))]
public sealed partial class TinyGptModel : nn.Module<Tensor, Tensor>
{
    /// <summary>The distinct characters of Moby-Dick.</summary>
    public const int Vocab = 89;

    /// <summary>The longest sequence the position embedding covers.</summary>
    public const int Context = 64;

    [Embedding(Vocab = Vocab, Dim = nameof(TinyGptArchitecture.EmbedDim), TiedHead = true)]
    private partial EntangledEmbedding Tokens { get; }

    [Embedding(Vocab = Context, Dim = nameof(TinyGptArchitecture.EmbedDim))]
    private partial EntangledEmbedding Positions { get; }

    [PerLayer(nameof(TinyGptArchitecture.Layers)), LayerNorm(Dim = nameof(TinyGptArchitecture.EmbedDim))]
    private partial ModuleList<EntangledLayerNorm> Norm1 { get; }

    [PerLayer(nameof(TinyGptArchitecture.Layers))]
    [SelfAttention(Dim = nameof(TinyGptArchitecture.EmbedDim), Heads = nameof(TinyGptArchitecture.Heads), HeadSize = TinyGptArchitecture.HeadSize, Bias = nameof(TinyGptArchitecture.Bias))]
    private partial ModuleList<EntangledSelfAttention> Attention { get; }

    [PerLayer(nameof(TinyGptArchitecture.Layers)), LayerNorm(Dim = nameof(TinyGptArchitecture.EmbedDim))]
    private partial ModuleList<EntangledLayerNorm> Norm2 { get; }

    [PerLayer(nameof(TinyGptArchitecture.Layers))]
    [Mlp(Dim = nameof(TinyGptArchitecture.EmbedDim), HiddenRatio = nameof(TinyGptArchitecture.MlpRatio), Bias = nameof(TinyGptArchitecture.Bias))]
    private partial ModuleList<EntangledMlp> Mlp { get; }

    [LayerNorm(Dim = nameof(TinyGptArchitecture.EmbedDim))]
    private partial EntangledLayerNorm FinalNorm { get; }

    /// <summary>Logits <c>[batch, seq, Vocab]</c> for character ids <c>[batch, seq]</c>, seq ≤ <see cref="Context"/>.</summary>
    public override Tensor forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var architecture = Active;
        var positions = arange(tokens.size(1), dtype: int64, device: tokens.device);
        var x = Tokens.forward(tokens) + Positions.forward(positions);
        // DepthMixing is the plain loop over the active layers, unless a gradient-based search mixes the depth
        // (then every block runs and the output is the weighted sum over the depth options).
        var depth = DepthMixing.Begin(Mixture, nameof(TinyGptArchitecture.Layers), architecture.Layers, x);
        for (int layer = 0; layer < depth.Count; layer++)
        {
            x = x + Attention[layer].forward(Norm1[layer].forward(x));
            x = depth.After(layer, x + Mlp[layer].forward(Norm2[layer].forward(x)));
        }
        return FinalNorm.forward(depth.Output(x)).matmul(Tokens.ActiveWeight.t()).MoveToOuterDisposeScope();
    }
}
