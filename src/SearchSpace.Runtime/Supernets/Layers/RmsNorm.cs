using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Supernets;

/// <summary>
/// A dense RMSNorm, <c>y = x / √(mean(x²) + eps) · γ</c> over the last dimension, as <c>torch.nn.RMSNorm</c> computes
/// it (in float32 for half-precision inputs). TorchSharp 0.107 has no RMSNorm module; this is the extraction target of
/// <see cref="EntangledRmsNorm"/>. State-dict name: <c>weight</c>.
/// </summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private static readonly long[] LastDimension = { -1 };

    private Parameter weight; // state-dict name

    /// <summary>Creates the norm with <c>γ = 1</c>.</summary>
    /// <param name="name">The module name.</param>
    /// <param name="dim">The normalised width.</param>
    /// <param name="eps">Added to the mean square for numerical stability.</param>
    /// <param name="device">The device of the weight (the default device when null).</param>
    /// <param name="dtype">The element type of the weight (the default dtype when null).</param>
    public RmsNorm(string name, int dim, double eps = 1e-6, Device? device = null, ScalarType? dtype = null)
        : this(name, EntangledSlicing.OwnedParameter(torch.ones(new long[] { CheckDim(dim) }, dtype: dtype, device: device)), eps)
    {
    }

    /// <summary>Creates the norm around a given scale <c>γ</c> (one-dimensional), which the module then owns.</summary>
    /// <param name="name">The module name.</param>
    /// <param name="weight">The scale <c>γ</c>.</param>
    /// <param name="eps">Added to the mean square for numerical stability.</param>
    public RmsNorm(string name, Parameter weight, double eps = 1e-6) : base(name)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.dim() != 1)
            throw new ArgumentException($"RmsNorm '{name}': the weight must be one-dimensional, got {weight.dim()} dimensions.", nameof(weight));
        weight.DetachFromDisposeScope();
        this.weight = weight;
        Eps = eps;
        RegisterComponents();
    }

    /// <summary>The normalised width.</summary>
    public long Dim => weight.size(0);

    /// <summary>The value added to the mean square.</summary>
    public double Eps { get; }

    /// <summary>The scale <c>γ</c>.</summary>
    public Parameter Weight => weight;

    /// <summary>Normalises the last dimension, which must have <see cref="Dim"/> features.</summary>
    public override Tensor forward(Tensor input)
    {
        EntangledSlicing.CheckFeatures(GetName(), input, weight.size(0));
        return Normalize(input, weight, Eps);
    }

    /// <summary>
    /// The RMSNorm of <paramref name="input"/> over its last dimension scaled by <paramref name="gamma"/> (whose length is
    /// that dimension): one implementation for the dense and the entangled module, so their outputs agree bit for bit.
    /// </summary>
    internal static Tensor Normalize(Tensor input, Tensor gamma, double eps)
    {
        var lowPrecision = input.dtype is ScalarType.Float16 or ScalarType.BFloat16;
        var upcast = lowPrecision ? input.to_type(ScalarType.Float32) : null;
        try
        {
            var x = upcast ?? input;
            using var squares = x.square();
            using var meanSquare = squares.mean(LastDimension, keepdim: true);
            using var shifted = meanSquare.add(eps);
            using var inverseRms = shifted.rsqrt();
            using var normalized = x.mul(inverseRms);
            if (!lowPrecision)
                return normalized.mul(gamma);
            using var narrowed = normalized.to_type(input.dtype);
            return narrowed.mul(gamma);
        }
        finally
        {
            upcast?.Dispose();
        }
    }

    private static int CheckDim(int dim) =>
        dim >= 1 ? dim : throw new ArgumentOutOfRangeException(nameof(dim), dim, "The width must be at least 1.");
}
