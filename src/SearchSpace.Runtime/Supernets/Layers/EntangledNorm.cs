using TorchSharp;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Supernets;

/// <summary>
/// What <see cref="EntangledLayerNorm"/> and <see cref="EntangledRmsNorm"/> share: a largest width, an epsilon, and the
/// active width <c>d</c> that selects the prefix <c>[:d]</c> of their per-feature parameters (BRIEF section 3). The
/// parameters themselves are fields of the subclasses, whose names are the state-dict names.
/// </summary>
public abstract class EntangledNorm : nn.Module<Tensor, Tensor>
{
    private int _activeDim;

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
    }
}
