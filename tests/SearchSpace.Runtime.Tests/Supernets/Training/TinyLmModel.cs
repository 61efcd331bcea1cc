using SearchSpaceDsl.Supernets;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets.Training;

/// <summary>
/// The generated supernet the training tests train: a character embedding over the Moby-Dick vocabulary, <c>Layers</c>
/// pre-norm residual MLP blocks (<c>x + mlp(norm(x))</c>), a final LayerNorm and an output head tied to the embedding
/// (<c>logits = x · E[:, :Width]ᵀ</c>). No position information: a per-token (bigram-like) language model, enough to
/// train. The generator writes everything but <see cref="forward"/> and the initialisation.
/// </summary>
[Supernet(typeof(TinyLmArch))]
public sealed partial class TinyLmModel : nn.Module<Tensor, Tensor>
{
    /// <summary>The distinct characters of the whole Moby-Dick text (<c>samples/TinyGpt/data/moby-dick.txt</c>).</summary>
    public const int Vocab = 89;

    [Embedding(Vocab = Vocab, Dim = nameof(TinyLmArch.Width), TiedHead = true)]
    private partial EntangledEmbedding Tokens { get; }

    [PerLayer(nameof(TinyLmArch.Layers)), LayerNorm(Dim = nameof(TinyLmArch.Width))]
    private partial ModuleList<EntangledLayerNorm> Norm { get; }

    [PerLayer(nameof(TinyLmArch.Layers)), Mlp(Dim = nameof(TinyLmArch.Width), Hidden = nameof(TinyLmArch.Hidden), Bias = true)]
    private partial ModuleList<EntangledMlp> Mlp { get; }

    [LayerNorm(Dim = nameof(TinyLmArch.Width))]
    private partial EntangledLayerNorm FinalNorm { get; }

    /// <summary>
    /// A supernet of <paramref name="capacity"/> (default the largest) with weights drawn from <paramref name="seed"/> by
    /// a private generator, so tests running in parallel get the same weights.
    /// </summary>
    public static TinyLmModel Create(int seed, TinyLmArch? capacity = null)
    {
        var model = new TinyLmModel(capacity);
        model.Initialise(seed);
        return model;
    }

    /// <summary>Logits <c>[batch, seq, Vocab]</c> for token ids <c>[batch, seq]</c>.</summary>
    public override Tensor forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var x = Tokens.forward(tokens);
        for (var i = 0; i < Active.Layers; i++)
            x = x + Mlp[i].forward(Norm[i].forward(x));
        var head = Tokens.ActiveWeight;
        return FinalNorm.forward(x).matmul(head.t()).MoveToOuterDisposeScope();
    }

    // Deterministic even for `new TinyLmModel()` and the models Extract builds, whatever the global generator holds.
    private void OnCreated() => Initialise(0);

    /// <summary>Matrices N(0, 0.2) in the embedding and N(0, 0.1) elsewhere, biases 0, norm weights 1.</summary>
    private void Initialise(int seed)
    {
        using var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            if (parameter.dim() == 2)
                parameter.normal_(0, name.StartsWith("tokens.", StringComparison.Ordinal) ? 0.2 : 0.1, generator);
            else if (name.EndsWith("bias", StringComparison.Ordinal))
                parameter.zero_();
            else
                parameter.fill_(1.0);
        }
    }
}
