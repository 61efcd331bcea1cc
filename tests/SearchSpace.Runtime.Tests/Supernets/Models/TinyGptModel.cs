using SearchSpaceDsl.Supernets;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets.Models;

/// <summary>
/// A GPT written exactly as the README shows: token and position embeddings, pre-norm blocks of attention (heads of
/// size 8) and MLP, a final LayerNorm and an output head tied to the token embedding. The generator writes everything
/// but <see cref="forward"/>.
/// </summary>
[Supernet(typeof(TinyGptArchitecture))]
public sealed partial class TinyGptModel : nn.Module<Tensor, Tensor>
{
    public const int Vocab = 20;
    public const int Context = 16;

    [Embedding(Vocab = Vocab, Dim = nameof(TinyGptArchitecture.EmbedDim), TiedHead = true)]
    private partial EntangledEmbedding Tokens { get; }

    [Embedding(Vocab = Context, Dim = nameof(TinyGptArchitecture.EmbedDim))]
    private partial EntangledEmbedding Positions { get; }

    [PerLayer(nameof(TinyGptArchitecture.Layers)), LayerNorm(Dim = nameof(TinyGptArchitecture.EmbedDim))]
    private partial ModuleList<EntangledLayerNorm> Norm1 { get; }

    [PerLayer(nameof(TinyGptArchitecture.Layers)), SelfAttention(Dim = nameof(TinyGptArchitecture.EmbedDim), Heads = nameof(TinyGptArchitecture.Heads), HeadSize = 8, Bias = nameof(TinyGptArchitecture.Bias))]
    private partial ModuleList<EntangledSelfAttention> Attention { get; }

    [PerLayer(nameof(TinyGptArchitecture.Layers)), LayerNorm(Dim = nameof(TinyGptArchitecture.EmbedDim))]
    private partial ModuleList<EntangledLayerNorm> Norm2 { get; }

    [PerLayer(nameof(TinyGptArchitecture.Layers)), Mlp(Dim = nameof(TinyGptArchitecture.EmbedDim), HiddenRatio = nameof(TinyGptArchitecture.MlpRatio), Bias = nameof(TinyGptArchitecture.Bias))]
    private partial ModuleList<EntangledMlp> Mlp { get; }

    [LayerNorm(Dim = nameof(TinyGptArchitecture.EmbedDim))]
    private partial EntangledLayerNorm FinalNorm { get; }

    /// <summary>Logits <c>[batch, seq, Vocab]</c> for token ids <c>[batch, seq]</c> (seq ≤ <see cref="Context"/>).</summary>
    public override Tensor forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var architecture = Active;
        var positions = arange(tokens.size(1), dtype: int64, device: tokens.device);
        var x = Tokens.forward(tokens) + Positions.forward(positions);
        for (var i = 0; i < architecture.Layers; i++)
        {
            x = x + Attention[i].forward(Norm1[i].forward(x));
            x = x + Mlp[i].forward(Norm2[i].forward(x));
        }
        var head = Tokens.ActiveWeight;
        return FinalNorm.forward(x).matmul(head.t()).MoveToOuterDisposeScope();
    }
}
