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
public sealed class EntangledRmsNorm : EntangledNorm, IEntangledModule
{
    private Parameter weight; // state-dict name

    /// <summary>Creates the norm at its largest width.</summary>
    /// <param name="name">The module name; error messages name the layer by it.</param>
    /// <param name="dimMax">The largest normalised width.</param>
    /// <param name="eps">Added to the mean square for numerical stability.</param>
    /// <param name="device">The device of the weight (the default device when null).</param>
    /// <param name="dtype">The element type of the weight (the default dtype when null).</param>
    public EntangledRmsNorm(string name, int dimMax, double eps = 1e-6, Device? device = null, ScalarType? dtype = null)
        : base(name, dimMax, eps)
    {
        weight = EntangledSlicing.OwnedParameter(torch.ones(new long[] { dimMax }, dtype: dtype, device: device));
        RegisterComponents();
    }

    /// <summary>The max-size scale <c>γ[dimMax]</c>.</summary>
    public Parameter Weight => weight;

    /// <inheritdoc />
    public long ActiveParameterCount => CountParameters(ActiveDim);

    /// <summary>The parameters of an RMSNorm of width <paramref name="dim"/>: <c>dim</c> (γ).</summary>
    /// <param name="dim">The normalised width, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">The width is below 1.</exception>
    public static long CountParameters(int dim) => EntangledSlicing.CheckCostSize(nameof(dim), dim);

    /// <summary>
    /// The forward FLOPs per token: <c>4·dim</c> (<see cref="FlopConventions.RmsNormPerFeature"/>: mean square,
    /// normalisation and scale).
    /// </summary>
    /// <param name="dim">The normalised width, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">The width is below 1.</exception>
    public static long CountFlopsPerToken(int dim) =>
        (long)FlopConventions.RmsNormPerFeature * EntangledSlicing.CheckCostSize(nameof(dim), dim);

    /// <summary>Normalises the last dimension, which must be the active width, and scales by <c>γ[:d]</c>.</summary>
    /// <exception cref="ArgumentException">The input's last dimension is not <see cref="EntangledNorm.ActiveDim"/>.</exception>
    public override Tensor forward(Tensor input)
    {
        if (IsMixed)
            return MixedForward(input);
        EntangledSlicing.CheckFeatures(LayerName, input, ActiveDim);
        using var gamma = weight.narrow(0, 0, ActiveDim);
        return RmsNorm.Normalize(input, gamma, Eps);
    }

    private protected override Tensor NormalizePrefix(Tensor input, int dim)
    {
        using var gamma = weight.narrow(0, 0, dim);
        return RmsNorm.Normalize(input, gamma, Eps);
    }

    /// <summary>
    /// A standalone <see cref="RmsNorm"/> of width <see cref="EntangledNorm.ActiveDim"/> holding a copy of <c>γ[:d]</c>,
    /// on the same device and dtype, with the same <c>requires_grad</c>; it carries this layer's name.
    /// </summary>
    public RmsNorm Extract()
    {
        using var gamma = weight.narrow(0, 0, ActiveDim);
        return new RmsNorm(LayerName, EntangledSlicing.CopyToParameter(gamma, weight.requires_grad), Eps);
    }

    nn.Module IEntangledModule.Extract() => Extract();

    /// <summary><c>weight</c> → a view <c>γ[:d]</c> (see <see cref="IEntangledModule.ActiveSlices"/>).</summary>
    public IEnumerable<(string Name, Tensor Slice)> ActiveSlices() =>
        new List<(string, Tensor)> { ("weight", weight.narrow(0, 0, ActiveDim)) };
}
