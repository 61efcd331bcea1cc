using static TorchSharp.torch;

namespace SearchSpaceDsl.Supernets.Gradient;

/// <summary>
/// The hardware-aware term of the architecture loss: an expected cost (parameters, FLOPs, latency, …) as a
/// differentiable function of the option weights, added as a penalty <c>λ · cost / scale</c> or, with a target, as
/// <c>λ · max(0, cost / target − 1)</c> (no pressure below the target).
/// </summary>
/// <remarks>
/// Built-in costs: the generated <c>TModel.ExpectedParameters</c> and <c>TModel.ExpectedFlopsPerToken</c>; any other
/// cost (e.g. a latency table per layer summed with <see cref="CostExpectation"/>) is a
/// <c>Func&lt;ArchitectureMixture, Tensor&gt;</c> returning a scalar.
/// </remarks>
public sealed record HardwareTerm
{
    private HardwareTerm(Func<ArchitectureMixture, Tensor> expectedCost, double weight, double scale, double? target)
    {
        ArgumentNullException.ThrowIfNull(expectedCost);
        if (!(weight >= 0) || double.IsInfinity(weight))
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "The weight of the hardware term must be a non-negative finite number.");
        if (!(scale > 0) || double.IsInfinity(scale))
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The scale of the hardware cost must be a positive finite number.");
        if (target is { } t && (!(t > 0) || double.IsInfinity(t)))
            throw new ArgumentOutOfRangeException(nameof(target), t, "The cost target must be a positive finite number.");
        ExpectedCost = expectedCost;
        Weight = weight;
        Scale = scale;
        Target = target;
    }

    /// <summary>The expected cost under a mixture, a scalar tensor.</summary>
    public Func<ArchitectureMixture, Tensor> ExpectedCost { get; }

    /// <summary>λ.</summary>
    public double Weight { get; }

    /// <summary>The cost that counts as 1 in a penalty (e.g. the largest architecture's).</summary>
    public double Scale { get; }

    /// <summary>The target cost, or null for a plain penalty.</summary>
    public double? Target { get; }

    /// <summary>A penalty <c>λ · cost / scale</c>.</summary>
    public static HardwareTerm Penalty(Func<ArchitectureMixture, Tensor> expectedCost, double weight, double scale = 1) =>
        new(expectedCost, weight, scale, null);

    /// <summary>A target: <c>λ · max(0, cost / target − 1)</c>.</summary>
    public static HardwareTerm ForTarget(Func<ArchitectureMixture, Tensor> expectedCost, double target, double weight) =>
        new(expectedCost, weight, target, target);

    /// <summary>The expected cost and the term to add to the architecture loss, both scalar tensors.</summary>
    public (Tensor Cost, Tensor Term) Evaluate(ArchitectureMixture mixture)
    {
        var cost = ExpectedCost(mixture);
        if (cost.numel() != 1)
            throw new InvalidOperationException($"The expected cost must be a scalar, got shape [{string.Join(", ", cost.shape)}].");
        var term = Target is { } target
            ? nn.functional.relu(cost.div(target).sub(1)).mul(Weight)
            : cost.div(Scale).mul(Weight);
        return (cost, term);
    }
}
