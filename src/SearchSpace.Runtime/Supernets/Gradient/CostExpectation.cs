using static TorchSharp.torch;

namespace SearchSpaceDsl.Supernets.Gradient;

/// <summary>
/// Sums the expectation of a cost model under an <see cref="ArchitectureMixture"/>, as a differentiable function of the
/// option weights. A cost model that is a sum of per-layer formulas (the generated <c>CountParameters</c> and
/// <c>CountFlopsPerToken</c>) has, for independent options, the expectation
/// <c>Σ_layers P(layer kept) · Σ_combinations Π αᵢ · formula(sizes)</c>: each term enumerates only the options of the few
/// sizes of one layer, so it stays exact and cheap. The generated <c>ExpectedParameters</c> and
/// <c>ExpectedFlopsPerToken</c> are written with it; it also serves custom cost models (latency tables per layer).
/// </summary>
/// <remarks>The total is a float64 scalar tensor on the mixture's device; it joins the caller's dispose scope.</remarks>
public sealed class CostExpectation
{
    private readonly ArchitectureMixture _mixture;
    private Tensor? _total;
    private double _constant;

    /// <summary>Starts an empty sum over <paramref name="mixture"/>.</summary>
    public CostExpectation(ArchitectureMixture mixture)
    {
        ArgumentNullException.ThrowIfNull(mixture);
        _mixture = mixture;
    }

    /// <summary>The expected cost: the sum of every term added, a float64 scalar tensor.</summary>
    public Tensor Total
    {
        get
        {
            var device = _mixture.Weights.Count > 0 ? _mixture.Weights[0].device : CPU;
            var constant = tensor(_constant, dtype: ScalarType.Float64, device: device);
            return _total is null ? constant : _total.add(constant);
        }
    }

    /// <summary>
    /// Adds <c>keep · E[formula(sizes)]</c>: the formula's expectation over every combination of the sizes' options
    /// (independent), times <paramref name="keep"/> (the probability that a depth keeps the layer; null for 1).
    /// </summary>
    /// <param name="keep">A scalar tensor, or null.</param>
    /// <param name="formula">The cost of one combination; receives the sizes in the order given (bias switches as 0/1).</param>
    /// <param name="sizes">The distributions of the formula's sizes.</param>
    public void Add(Tensor? keep, Func<int[], long> formula, params SizeDistribution[] sizes)
    {
        ArgumentNullException.ThrowIfNull(formula);
        ArgumentNullException.ThrowIfNull(sizes);
        // The independent factors, each once: sizes that read the same choice (EmbedDim and MlpRatio·EmbedDim) share it.
        var factors = new List<SizeFactor>();
        var uses = new int[sizes.Length][];
        for (int k = 0; k < sizes.Length; k++)
        {
            ArgumentNullException.ThrowIfNull(sizes[k]);
            uses[k] = [.. sizes[k].Factors.Select(f =>
            {
                int index = f.Key is null ? -1 : factors.FindIndex(g => g.Key == f.Key);
                if (index < 0)
                {
                    factors.Add(f);
                    index = factors.Count - 1;
                }
                return index;
            })];
        }

        int combinations = 1;
        foreach (var f in factors)
            combinations = checked(combinations * f.Values.Length);
        var costs = new double[combinations];
        var chosen = new int[factors.Count];
        var current = new int[sizes.Length];
        for (int c = 0; c < combinations; c++)
        {
            // Odometer over the factors' options, the last factor fastest: the order of the outer products below.
            int rest = c;
            for (int f = factors.Count - 1; f >= 0; f--)
            {
                int n = factors[f].Values.Length;
                chosen[f] = factors[f].Values[rest % n];
                rest /= n;
            }
            for (int k = 0; k < sizes.Length; k++)
            {
                int value = 1;
                foreach (int f in uses[k])
                    value = checked(value * chosen[f]);
                current[k] = value;
            }
            costs[c] = formula(current);
        }

        if (factors.All(f => f.Weights is null) && keep is null)
        {
            _constant += costs[0];
            return;
        }
        var device = factors.FirstOrDefault(f => f.Weights is not null)?.Weights!.device ?? keep?.device ?? CPU;
        Tensor? joint = null;
        foreach (var f in factors)
        {
            var w = f.Weights is null ? ones(1, dtype: ScalarType.Float64, device: device) : f.Weights.to_type(ScalarType.Float64);
            joint = joint is null ? w : joint.unsqueeze(1).mul(w.unsqueeze(0)).reshape(-1);
        }
        joint ??= ones(1, dtype: ScalarType.Float64, device: device);
        var term = joint.dot(tensor(costs, dtype: ScalarType.Float64, device: joint.device));
        if (keep is not null)
            term = term.mul(keep.to_type(ScalarType.Float64));
        _total = _total is null ? term : _total.add(term);
    }
}
