using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Supernets;

/// <summary>
/// An RMSNorm of a weight-entangled supernet. It holds <c>γ[dimMax]</c>; a sub-network of width <c>d</c> normalises
/// its <c>d</c> input features by their root mean square over those <c>d</c> features only and scales by <c>γ[:d]</c>
/// (BRIEF section 3), read through a view.
/// </summary>
/// <remarks>Initialisation is that of <c>torch.nn.RMSNorm</c>: <c>γ = 1</c>. State-dict name: <c>weight</c>.</remarks>
public sealed class EntangledRmsNorm : nn.Module<Tensor, Tensor>, IEntangledModule
{
    private Parameter weight; // state-dict name

    private readonly string _name;
    private int _activeDim;

    /// <summary>Creates the norm at its largest width.</summary>
    /// <param name="name">The module name; error messages name the layer by it.</param>
    /// <param name="dimMax">The largest normalised width.</param>
    /// <param name="eps">Added to the mean square for numerical stability.</param>
    /// <param name="device">The device of the weight (the default device when null).</param>
    /// <param name="dtype">The element type of the weight (the default dtype when null).</param>
    public EntangledRmsNorm(string name, int dimMax, double eps = 1e-6, Device? device = null, ScalarType? dtype = null)
        : base(EntangledSlicing.LayerName(name))
    {
        _name = name;
        EntangledSlicing.CheckMaxSize(name, nameof(dimMax), "width", dimMax);
        DimMax = dimMax;
        Eps = eps;
        weight = EntangledSlicing.OwnedParameter(torch.ones(new long[] { dimMax }, dtype: dtype, device: device));
        _activeDim = dimMax;
        RegisterComponents();
    }

    /// <summary>The largest normalised width.</summary>
    public int DimMax { get; }

    /// <summary>The value added to the mean square.</summary>
    public double Eps { get; }

    /// <summary>The active width.</summary>
    public int ActiveDim => _activeDim;

    /// <summary>The max-size scale <c>γ[dimMax]</c>.</summary>
    public Parameter Weight => weight;

    /// <inheritdoc />
    public long ActiveParameterCount => _activeDim;

    /// <summary>Selects the active width <c>d</c> (<c>γ[:d]</c>). Stores an integer only.</summary>
    /// <param name="dim">The active width, in <c>[1, DimMax]</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The width is outside its range; the message names the layer.</exception>
    public void SetActive(int dim)
    {
        EntangledSlicing.CheckActiveSize(_name, nameof(dim), "width", dim, DimMax);
        _activeDim = dim;
    }

    /// <summary>Normalises the last dimension, which must be the active width, and scales by <c>γ[:d]</c>.</summary>
    /// <exception cref="ArgumentException">The input's last dimension is not <see cref="ActiveDim"/>.</exception>
    public override Tensor forward(Tensor input)
    {
        EntangledSlicing.CheckFeatures(_name, input, _activeDim);
        using var gamma = weight.narrow(0, 0, _activeDim);
        return RmsNorm.Normalize(input, gamma, Eps);
    }

    /// <summary>
    /// A standalone <see cref="RmsNorm"/> of width <see cref="ActiveDim"/> holding a copy of <c>γ[:d]</c>, on the same
    /// device and dtype, with the same <c>requires_grad</c>; it carries this layer's name.
    /// </summary>
    public RmsNorm Extract()
    {
        using var gamma = weight.narrow(0, 0, _activeDim);
        return new RmsNorm(_name, EntangledSlicing.CopyToParameter(gamma, weight.requires_grad), Eps);
    }

    nn.Module IEntangledModule.Extract() => Extract();
}
