using SearchSpaceDsl.Supernets;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets.Models;

/// <summary>
/// A LLaMA-like variant: RMSNorm, grouped-query attention whose groups and head size are choices (strided and grouped
/// slices), absolute MLP widths, no position embedding and an untied linear head without bias.
/// </summary>
[Supernet(typeof(GroupedGptArchitecture))]
public sealed partial class GroupedGptModel : nn.Module<Tensor, Tensor>
{
    public const int Vocab = 20;

    [Embedding(Vocab = Vocab, Dim = nameof(GroupedGptArchitecture.EmbedDim))]
    private partial EntangledEmbedding Tokens { get; }

    [PerLayer(nameof(GroupedGptArchitecture.Layers)), RmsNorm(Dim = nameof(GroupedGptArchitecture.EmbedDim))]
    private partial ModuleList<EntangledRmsNorm> AttentionNorm { get; }

    [PerLayer(nameof(GroupedGptArchitecture.Layers))]
    [SelfAttention(Dim = nameof(GroupedGptArchitecture.EmbedDim), Heads = nameof(GroupedGptArchitecture.Heads),
        HeadSize = nameof(GroupedGptArchitecture.HeadSize), KvGroups = nameof(GroupedGptArchitecture.KvGroups),
        Bias = nameof(GroupedGptArchitecture.Bias))]
    private partial ModuleList<EntangledSelfAttention> Attention { get; }

    [PerLayer(nameof(GroupedGptArchitecture.Layers)), RmsNorm(Dim = nameof(GroupedGptArchitecture.EmbedDim))]
    private partial ModuleList<EntangledRmsNorm> MlpNorm { get; }

    [PerLayer(nameof(GroupedGptArchitecture.Layers))]
    [Mlp(Dim = nameof(GroupedGptArchitecture.EmbedDim), Hidden = nameof(GroupedGptArchitecture.Hidden), Bias = nameof(GroupedGptArchitecture.Bias))]
    private partial ModuleList<EntangledMlp> Mlp { get; }

    [RmsNorm(Dim = nameof(GroupedGptArchitecture.EmbedDim))]
    private partial EntangledRmsNorm FinalNorm { get; }

    [Linear(In = nameof(GroupedGptArchitecture.EmbedDim), Out = Vocab, Bias = false)]
    private partial EntangledLinear Head { get; }

    /// <summary>Logits <c>[batch, seq, Vocab]</c> for token ids <c>[batch, seq]</c>.</summary>
    public override Tensor forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var x = Tokens.forward(tokens);
        for (var i = 0; i < Active.Layers; i++)
        {
            x = x + Attention[i].forward(AttentionNorm[i].forward(x));
            x = x + Mlp[i].forward(MlpNorm[i].forward(x));
        }
        return Head.forward(FinalNorm.forward(x)).MoveToOuterDisposeScope();
    }
}
