using TorchSharp;
using SearchSpaceDsl.Supernets.Gradient;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Supernets;

/// <summary>
/// What <see cref="EntangledLayerNorm"/> and <see cref="EntangledRmsNorm"/> share: a largest width, an epsilon, and the
/// active width <c>d</c> that selects the prefix <c>[:d]</c> of their per-feature parameters (BRIEF section 3). The
/// parameters themselves are fields of the subclasses, whose names are the state-dict names.
/// </summary>
public abstract class EntangledNorm : nn.Module<Tensor, Tensor>, IMixableModule
{
    private int _activeDim;
    private SizeDistribution? _mixDim;
    private bool _mixed;

    /// <summary>Validates the name and the largest width; the norm starts at its largest width.</summary>
    /// <param name="name">The module name; error messages name the layer by it.</param>
    /// <param name="dimMax">The largest normalised width.</param>
    /// <param name="eps">Added to the variance or mean square for numerical stability.</param>
    private protected EntangledNorm(string name, int dimMax, double eps)
        : base(EntangledSlicing.LayerName(name))
    {
        EntangledSlicing.CheckMaxSize(name, nameof(dimMax), "width", dimMax);
        LayerName = name;
        DimMax = dimMax;
        Eps = eps;
        _activeDim = dimMax;
        ActiveShape = new long[] { dimMax };
    }

    /// <summary>The largest normalised width.</summary>
    public int DimMax { get; }

    /// <summary>The value added to the variance (LayerNorm) or to the mean square (RMSNorm).</summary>
    public double Eps { get; }

    /// <summary>The active width.</summary>
    public int ActiveDim => _activeDim;

    /// <summary>The module name, by which error messages name the layer.</summary>
    private protected string LayerName { get; }

    /// <summary><c>{ ActiveDim }</c> as a normalised shape, updated in place so that a forward allocates no array.</summary>
    private protected long[] ActiveShape { get; }

    /// <summary>Selects the active width <c>d</c> (the parameters' prefix <c>[:d]</c>). Stores integers only.</summary>
    /// <param name="dim">The active width, in <c>[1, DimMax]</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The width is outside its range; the message names the layer.</exception>
    public void SetActive(int dim)
    {
        EntangledSlicing.CheckActiveSize(LayerName, nameof(dim), "width", dim, DimMax);
        _activeDim = dim;
        ActiveShape[0] = dim;
        _mixed = false;
        _mixDim = null;
    }

    /// <inheritdoc />
    public bool IsMixed => _mixed;

    /// <summary>
    /// Sets a mixture over the width. A norm is not a weight product, so "mixing its weights" would leave open over
    /// which features the statistics run; this layer computes the mixture of its outputs instead:
    /// <c>Σ αᵢ · zero-pad(norm_{dᵢ}(x[..., :dᵢ]))</c>, each with statistics over its own first <c>dᵢ</c> features and
    /// <c>γ[:dᵢ]</c> (and <c>β[:dᵢ]</c>). A one-hot mixture therefore computes exactly the norm of that width, as the
    /// sub-network does. The input is <c>[..., DimMax]</c>; a norm costs no matrix product, so the per-option loop is cheap.
    /// </summary>
    /// <param name="dim">The distribution of the width; null for the max.</param>
    /// <exception cref="ArgumentException">An option exceeds the max width; nothing changes.</exception>
    public void SetMixture(SizeDistribution? dim)
    {
        if (dim is not null && dim.Values.Any(v => v < 1 || v > DimMax))
            throw new ArgumentException(
                $"Layer '{LayerName}': the mixture has a width option outside [1, {DimMax}] ({dim}): build the supernet with a capacity that holds every option.",
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

    /// <summary>Normalises <paramref name="input"/> (last dimension <paramref name="dim"/>) with the parameters' prefix <c>[:dim]</c>.</summary>
    private protected abstract Tensor NormalizePrefix(Tensor input, int dim);

    /// <summary>The mixed forward (see <see cref="SetMixture"/>) on an input of width <see cref="DimMax"/>.</summary>
    private protected Tensor MixedForward(Tensor input)
    {
        EntangledSlicing.CheckFeatures(LayerName, input, DimMax);
        var dims = _mixDim;
        if (dims is null)
            return NormalizePrefix(input, DimMax);
        using var scope = NewDisposeScope();
        Tensor? sum = null;
        for (int i = 0; i < dims.Values.Length; i++)
        {
            int d = dims.Values[i];
            var normalized = NormalizePrefix(input.narrow(-1, 0, d), d);
            if (d < DimMax)
                normalized = nn.functional.pad(normalized, [0, DimMax - d]);
            var term = dims.Weights is null ? normalized : normalized.mul(dims.Weights[i].to(input.dtype));
            sum = sum is null ? term : sum.add(term);
        }
        return sum!.MoveToOuterDisposeScope();
    }
}
