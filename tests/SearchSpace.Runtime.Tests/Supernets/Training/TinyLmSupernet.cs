using SearchSpaceDsl.Supernets;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets.Training;

/// <summary>
/// A hand-written whole-model supernet over <see cref="TinyLmArch"/> (the generated one does not exist yet): a token
/// embedding, <c>Layers</c> residual MLP blocks, a final LayerNorm and an output head tied to the embedding
/// (<c>logits = x · E[:, :Width]ᵀ</c>). No position information: a per-token (bigram-like) language model, enough to
/// train. Weights are initialised from <paramref name="seed"/> with a private generator, so tests running in parallel
/// get the same weights.
/// </summary>
internal sealed class TinyLmSupernet : nn.Module<Tensor, Tensor>, ISupernet<TinyLmArch>, IEntangledModule
{
    // Field names are the state-dict prefixes.
    private readonly EntangledEmbedding embedding;
    private readonly ModuleList<TinyLmBlock> blocks;
    private readonly EntangledLayerNorm norm;

    private readonly int _vocab;
    private TinyLmArch _active;

    public TinyLmSupernet(int vocab, TinyLmArch? capacity = null, int seed = 0) : base("tiny_lm")
    {
        _vocab = vocab;
        Capacity = capacity ?? TinyLmArch.Space.Largest;
        TinyLmArch.Space.EnsureValid(Capacity, nameof(capacity));
        embedding = new EntangledEmbedding("embedding", vocab, Capacity.Width);
        blocks = new ModuleList<TinyLmBlock>(
            Enumerable.Range(0, Capacity.Layers).Select(i => new TinyLmBlock($"blocks.{i}", Capacity.Width, Capacity.Hidden[i])).ToArray());
        norm = new EntangledLayerNorm("norm", Capacity.Width);
        RegisterComponents();
        Initialise(seed);
        _active = Capacity;
        Activate(Capacity);
    }

    public TinyLmArch Capacity { get; }

    public TinyLmArch Active => _active;

    public long ActiveParameterCount =>
        embedding.ActiveParameterCount + norm.ActiveParameterCount
        + Enumerable.Range(0, _active.Layers).Sum(i => blocks[i].ActiveParameterCount);

    public void Activate(TinyLmArch architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        if (architecture.Width > Capacity.Width)
            throw new ArgumentException($"Width {architecture.Width} exceeds the capacity {Capacity.Width}.", nameof(architecture));
        if (architecture.Layers > Capacity.Layers)
            throw new ArgumentException($"Layers {architecture.Layers} exceeds the capacity {Capacity.Layers}.", nameof(architecture));
        for (var i = 0; i < architecture.Layers; i++)
        {
            if (architecture.Hidden[i] > Capacity.Hidden[i])
                throw new ArgumentException($"Hidden[{i}] {architecture.Hidden[i]} exceeds the capacity {Capacity.Hidden[i]}.", nameof(architecture));
        }
        embedding.SetActive(architecture.Width);
        for (var i = 0; i < architecture.Layers; i++)
            blocks[i].SetActive(architecture.Width, architecture.Hidden[i]);
        norm.SetActive(architecture.Width);
        _active = architecture;
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = embedding.forward(input);
        for (var i = 0; i < _active.Layers; i++)
            x = blocks[i].forward(x);
        var normed = norm.forward(x);
        var head = embedding.ActiveWeight;
        return normed.matmul(head.t()).MoveToOuterDisposeScope();
    }

    /// <summary>Extraction by capacity: a second instance sized exactly <paramref name="architecture"/> receives the active slices.</summary>
    public nn.Module<Tensor, Tensor> Extract(TinyLmArch architecture)
    {
        var dense = new TinyLmSupernet(_vocab, architecture);
        var previous = _active;
        try
        {
            Activate(architecture);
            EntangledModules.CopyActiveSlices(this, dense);
        }
        finally
        {
            Activate(previous);
        }
        return dense;
    }

    nn.Module IEntangledModule.Extract() => Extract(_active);

    public IEnumerable<(string Name, Tensor Slice)> ActiveSlices()
    {
        var slices = embedding.ActiveSlices().Select(s => ("embedding." + s.Name, s.Slice)).ToList();
        for (var i = 0; i < _active.Layers; i++)
            slices.AddRange(blocks[i].ActiveSlices().Select(s => ($"blocks.{i}." + s.Name, s.Slice)));
        slices.AddRange(norm.ActiveSlices().Select(s => ("norm." + s.Name, s.Slice)));
        return slices;
    }

    private void Initialise(int seed)
    {
        using var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            if (parameter.dim() == 2)
                parameter.normal_(0, name.StartsWith("embedding", StringComparison.Ordinal) ? 0.2 : 0.1, generator);
            else if (name.EndsWith("bias", StringComparison.Ordinal))
                parameter.zero_();
            else
                parameter.fill_(1.0);
        }
    }
}
