using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Supernets;

/// <summary>
/// A LayerNorm of a weight-entangled supernet. It holds <c>γ[dimMax]</c> and <c>β[dimMax]</c>; a sub-network of width
/// <c>d</c> normalises its <c>d</c> input features with statistics over those <c>d</c> features only and uses
/// <c>γ[:d]</c>, <c>β[:d]</c> (BRIEF section 3), read through views.
/// </summary>
/// <remarks>
/// Initialisation is that of <c>torch.nn.LayerNorm</c>: <c>γ = 1</c>, <c>β = 0</c>. The bias is kept whatever a
/// sub-network's global bias choice (that choice removes linear biases only). State-dict names: <c>weight</c>, <c>bias</c>.
/// </remarks>
public sealed class EntangledLayerNorm : EntangledNorm, IEntangledModule
{
    // Field names are the state-dict names (RegisterComponents).
    private Parameter weight;
    private Parameter bias;

    /// <summary>Creates the norm at its largest width.</summary>
    /// <param name="name">The module name; error messages name the layer by it.</param>
    /// <param name="dimMax">The largest normalised width.</param>
    /// <param name="eps">Added to the variance for numerical stability.</param>
    /// <param name="device">The device of the weights (the default device when null).</param>
    /// <param name="dtype">The element type of the weights (the default dtype when null).</param>
    public EntangledLayerNorm(string name, int dimMax, double eps = 1e-5, Device? device = null, ScalarType? dtype = null)
        : base(name, dimMax, eps)
    {
        weight = EntangledSlicing.OwnedParameter(torch.ones(new long[] { dimMax }, dtype: dtype, device: device));
        bias = EntangledSlicing.OwnedParameter(torch.zeros(new long[] { dimMax }, dtype: dtype, device: device));
        RegisterComponents();
    }

    /// <summary>The max-size scale <c>γ[dimMax]</c>.</summary>
    public Parameter Weight => weight;

    /// <summary>The max-size shift <c>β[dimMax]</c>.</summary>
    public Parameter Bias => bias;

    /// <inheritdoc />
    public long ActiveParameterCount => CountParameters(ActiveDim);

    /// <summary>The parameters of a LayerNorm of width <paramref name="dim"/>: <c>2·dim</c> (γ and β).</summary>
    /// <param name="dim">The normalised width, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">The width is below 1.</exception>
    public static long CountParameters(int dim) => 2L * EntangledSlicing.CheckCostSize(nameof(dim), dim);

    /// <summary>
    /// The forward FLOPs per token: <c>7·dim</c> (<see cref="FlopConventions.LayerNormPerFeature"/>: statistics,
    /// normalisation, scale and shift).
    /// </summary>
    /// <param name="dim">The normalised width, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">The width is below 1.</exception>
    public static long CountFlopsPerToken(int dim) =>
        (long)FlopConventions.LayerNormPerFeature * EntangledSlicing.CheckCostSize(nameof(dim), dim);

    /// <summary>Normalises the last dimension, which must be the active width, and applies <c>γ[:d]</c>, <c>β[:d]</c>.</summary>
    /// <exception cref="ArgumentException">The input's last dimension is not <see cref="EntangledNorm.ActiveDim"/>.</exception>
    public override Tensor forward(Tensor input)
    {
        if (IsMixed)
            return MixedForward(input);
        EntangledSlicing.CheckFeatures(LayerName, input, ActiveDim);
        using var gamma = weight.narrow(0, 0, ActiveDim);
        using var beta = bias.narrow(0, 0, ActiveDim);
        return nn.functional.layer_norm(input, ActiveShape, gamma, beta, Eps);
    }

    private protected override Tensor NormalizePrefix(Tensor input, int dim)
    {
        using var gamma = weight.narrow(0, 0, dim);
        using var beta = bias.narrow(0, 0, dim);
        return nn.functional.layer_norm(input, [dim], gamma, beta, Eps);
    }

    /// <summary>
    /// A standalone <c>torch.nn.LayerNorm(ActiveDim, Eps)</c> holding copies of <c>γ[:d]</c> and <c>β[:d]</c>, on the same
    /// device and dtype, with the same <c>requires_grad</c>.
    /// </summary>
    public LayerNorm Extract()
    {
        var norm = nn.LayerNorm(ActiveDim, Eps, device: weight.device, dtype: weight.dtype);
        using var gamma = weight.narrow(0, 0, ActiveDim);
        using var beta = bias.narrow(0, 0, ActiveDim);
        norm.weight = EntangledSlicing.CopyToParameter(gamma, weight.requires_grad); // the setter disposes the old one
        norm.bias = EntangledSlicing.CopyToParameter(beta, bias.requires_grad);
        return norm;
    }

    nn.Module IEntangledModule.Extract() => Extract();

    /// <summary>
    /// <c>weight</c> → a view <c>γ[:d]</c>, <c>bias</c> → a view <c>β[:d]</c> (see <see cref="IEntangledModule.ActiveSlices"/>).
    /// </summary>
    public IEnumerable<(string Name, Tensor Slice)> ActiveSlices() =>
        new List<(string, Tensor)> { ("weight", weight.narrow(0, 0, ActiveDim)), ("bias", bias.narrow(0, 0, ActiveDim)) };
}
