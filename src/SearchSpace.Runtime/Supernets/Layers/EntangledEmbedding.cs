using TorchSharp;
using TorchSharp.Modules;
using SearchSpaceDsl.Supernets.Gradient;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Supernets;

/// <summary>
/// A token embedding of a weight-entangled supernet. It holds <c>E[vocab, dimMax]</c>; a sub-network of width
/// <c>d</c> uses the column prefix <c>E[:, :d]</c> (BRIEF section 3) through a <c>narrow</c> view: nothing is copied,
/// and gradients land in the active columns only.
/// </summary>
/// <remarks>
/// Initialisation is that of <c>torch.nn.Embedding</c>: <c>N(0, 1)</c> from the global generator (a GPT-style model
/// may re-initialise <see cref="Weight"/> with <c>N(0, 0.02)</c> through <c>torch.nn.init</c>). State-dict name:
/// <c>weight</c>.
/// </remarks>
public sealed class EntangledEmbedding : nn.Module<Tensor, Tensor>, IEntangledModule, IMixableModule
{
    private Parameter weight; // state-dict name

    private readonly string _name;
    private int _activeDim;
    private SizeDistribution? _mixDim;
    private bool _mixed;

    /// <summary>Creates the embedding at its largest width.</summary>
    /// <param name="name">The module name; error messages name the layer by it.</param>
    /// <param name="vocab">The number of embeddings (tokens).</param>
    /// <param name="dimMax">The largest embedding width.</param>
    /// <param name="device">The device of the weights (the default device when null).</param>
    /// <param name="dtype">The element type of the weights (the default dtype when null).</param>
    public EntangledEmbedding(string name, int vocab, int dimMax, Device? device = null, ScalarType? dtype = null)
        : base(EntangledSlicing.LayerName(name))
    {
        _name = name;
        EntangledSlicing.CheckMaxSize(name, nameof(vocab), "vocabulary size", vocab);
        EntangledSlicing.CheckMaxSize(name, nameof(dimMax), "embedding width", dimMax);
        Vocab = vocab;
        DimMax = dimMax;

        var e = torch.empty(new long[] { vocab, dimMax }, dtype: dtype, device: device);
        nn.init.normal_(e);
        weight = EntangledSlicing.OwnedParameter(e);

        _activeDim = dimMax;
        RegisterComponents();
    }

    /// <summary>The number of embeddings (tokens).</summary>
    public int Vocab { get; }

    /// <summary>The largest embedding width.</summary>
    public int DimMax { get; }

    /// <summary>The active embedding width.</summary>
    public int ActiveDim => _activeDim;

    /// <summary>The max-size table <c>E[vocab, dimMax]</c>.</summary>
    public Parameter Weight => weight;

    /// <summary>
    /// A view <c>E[:, :ActiveDim]</c> of the max-size table (shares its storage and its autograd history), e.g. for
    /// an output head tied to the embedding. Each call makes a new view; the caller disposes it (or lets a dispose
    /// scope do so).
    /// </summary>
    /// <remarks>Under a mixture it is the mixed table <c>E ⊙ m_dim</c> (a new tensor, not a view).</remarks>
    public Tensor ActiveWeight => _mixed ? MixedWeight() : weight.narrow(1, 0, _activeDim);

    /// <inheritdoc />
    public long ActiveParameterCount => CountParameters(Vocab, _activeDim);

    /// <summary>The parameters of an embedding: <c>vocab·dim</c>.</summary>
    /// <param name="vocab">The number of embeddings (tokens), at least 1.</param>
    /// <param name="dim">The embedding width, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    public static long CountParameters(int vocab, int dim) =>
        (long)EntangledSlicing.CheckCostSize(nameof(vocab), vocab) * EntangledSlicing.CheckCostSize(nameof(dim), dim);

    /// <summary>
    /// The forward FLOPs per token: 0, a lookup is a gather (<see cref="FlopConventions"/>). An output head tied to
    /// the embedding is a linear map, counted by <see cref="EntangledLinear.CountFlopsPerToken"/>.
    /// </summary>
    /// <param name="vocab">The number of embeddings (tokens), at least 1.</param>
    /// <param name="dim">The embedding width, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    public static long CountFlopsPerToken(int vocab, int dim)
    {
        EntangledSlicing.CheckCostSize(nameof(vocab), vocab);
        EntangledSlicing.CheckCostSize(nameof(dim), dim);
        return 0;
    }

    /// <summary>Selects the active columns <c>E[:, :dim]</c>. Stores an integer only.</summary>
    /// <param name="dim">The active width, in <c>[1, DimMax]</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The width is outside its range; the message names the layer.</exception>
    public void SetActive(int dim)
    {
        EntangledSlicing.CheckActiveSize(_name, nameof(dim), "embedding width", dim, DimMax);
        _activeDim = dim;
        _mixed = false;
        _mixDim = null;
    }

    /// <inheritdoc />
    public bool IsMixed => _mixed;

    /// <summary>
    /// Sets a mixture (TangleNAS): lookups return rows of <c>E ⊙ m_dim</c>, <c>m_dim[j] = Σ_{i: dᵢ &gt; j} αᵢ</c>, i.e.
    /// <c>Σ αᵢ · zero-pad(E[:, :dᵢ])</c>, at width <see cref="DimMax"/>.
    /// </summary>
    /// <param name="dim">The distribution of the width; null for the max.</param>
    /// <exception cref="ArgumentException">An option exceeds the max width; nothing changes.</exception>
    public void SetMixture(SizeDistribution? dim)
    {
        if (dim is not null && dim.Values.Any(v => v < 1 || v > DimMax))
            throw new ArgumentException(
                $"Layer '{_name}': the mixture has a width option outside [1, {DimMax}] ({dim}): build the supernet with a capacity that holds every option.",
                nameof(dim));
        SetActive(DimMax);
        (_mixDim, _mixed) = (dim, true);
    }

    /// <inheritdoc />
    public void ClearMixture()
    {
        _mixed = false;
        _mixDim = null;
    }

    private Tensor MixedWeight()
    {
        var mask = _mixDim?.Mask(DimMax, weight.dtype, weight.device, _name, "embedding width");
        if (mask is null)
            return weight.alias();
        using (mask)
            return weight.mul(mask.unsqueeze(0));
    }

    /// <summary>Looks up token ids (int64 or int32, any shape) and returns <c>[..., ActiveDim]</c> rows of <c>E[:, :d]</c>.</summary>
    public override Tensor forward(Tensor input)
    {
        // Under a mixture: the same lookup in the mixed table at the max width.
        using var columns = _mixed ? MixedWeight() : weight.narrow(1, 0, _activeDim);
        if (input.dim() == 1)
            return columns.index_select(0, input);
        // What torch's embedding does: gather rows for the flattened ids, then restore the ids' shape.
        using var flat = input.reshape(-1);
        using var rows = columns.index_select(0, flat);
        var shape = new long[input.dim() + 1];
        for (var i = 0; i < shape.Length - 1; i++)
            shape[i] = input.size(i);
        shape[^1] = _activeDim;
        return rows.view(shape);
    }

    /// <summary>
    /// A standalone <c>torch.nn.Embedding(Vocab, ActiveDim)</c> holding a copy of <c>E[:, :ActiveDim]</c>, on the same
    /// device and dtype, trainable when the supernet's table is.
    /// </summary>
    public Embedding Extract()
    {
        using var columns = weight.narrow(1, 0, _activeDim);
        using var copy = EntangledSlicing.DenseCopy(columns);
        // The native module keeps its own reference to the copy's storage; our handle can go.
        var embedding = nn.Embedding_from_pretrained(copy, freeze: !weight.requires_grad, device: copy.device, dtype: copy.dtype);
        // TorchSharp wraps the native module's parameters in tensors that join the caller's dispose scope, if one is
        // open; the module's parameter list would then be emptied when that scope ends. The module owns them instead.
        foreach (var (_, parameter) in embedding.named_parameters())
            parameter.DetachFromDisposeScope();
        return embedding;
    }

    nn.Module IEntangledModule.Extract() => Extract();

    /// <summary><c>weight</c> → a view <c>E[:, :ActiveDim]</c> (see <see cref="IEntangledModule.ActiveSlices"/>).</summary>
    public IEnumerable<(string Name, Tensor Slice)> ActiveSlices() =>
        new List<(string, Tensor)> { ("weight", weight.narrow(1, 0, _activeDim)) };
}
