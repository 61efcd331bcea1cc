using System.Numerics;

namespace SearchSpaceDsl;

// Uniform sampling and stable enumeration over effective architectures.
public sealed partial class SearchSpace<TArch>
{
    // For each depth dimension, the cumulative probability of each depth: proportional to the number of ways to
    // fill that many layers, so that every effective architecture is equally likely. Null for other dimensions.
    private readonly double[]?[] _depthCumulative;

    // The enumeration order of gene positions: scalar dimensions in declaration order, then every layer slot of
    // each per-layer dimension. Depths come before the slots they activate.
    private readonly int[] _orderGene;
    private readonly Dimension[] _orderDimension;
    private readonly int[] _orderSlot;

    /// <inheritdoc />
    public TArch Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Span<int> genes = Description.GeneCount <= 512 ? stackalloc int[Description.GeneCount] : new int[Description.GeneCount];
        ArchitectureConstraint<TArch>? rejectedBy = null;
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var draws = new GeneRandom(random);
            SampleGenes(genes, ref draws);
            var architecture = TArch.FromGenes(genes);
            rejectedBy = FirstViolation(architecture);
            if (rejectedBy is null)
                return architecture;
        }
        throw new InvalidOperationException(
            $"Sampling {Description.Name}: {MaxAttempts:N0} uniform draws in a row violated the constraints (last: {rejectedBy!.Describe()}); " +
            "the constraints leave too small a fraction of the space for rejection sampling.");
    }

    /// <inheritdoc />
    public IEnumerable<TArch> Enumerate()
    {
        var genes = new int[Description.GeneCount];
        while (true)
        {
            var architecture = TArch.FromGenes(genes);
            if (FirstViolation(architecture) is null)
                yield return architecture;
            if (!Advance(genes))
                yield break;
        }
    }

    private void SampleGenes(Span<int> genes, ref GeneRandom random)
    {
        var dimensions = Description.Dimensions;
        for (int i = 0; i < dimensions.Length; i++)
        {
            var d = dimensions[i];
            if (d.IsPerLayer)
                continue;
            genes[d.GeneOffset] = _depthCumulative[i] is { } cumulative ? Draw(cumulative, random.NextDouble()) : random.Next(d.Count);
        }
        foreach (var d in Description.PerLayerDimensions)
        {
            var slots = genes.Slice(d.GeneOffset, d.Slots);
            int active = ActiveLayers(genes, d);
            for (int layer = 0; layer < active; layer++)
                slots[layer] = random.Next(d.Count);
            slots[active..].Clear();
        }
    }

    private static int Draw(double[] cumulative, double u)
    {
        for (int i = 0; i < cumulative.Length - 1; i++)
        {
            if (u < cumulative[i])
                return i;
        }
        return cumulative.Length - 1;
    }

    // The odometer step: increments the last active position that can grow and resets every position after it,
    // so inactive slots stay 0 and each effective architecture comes exactly once.
    private bool Advance(int[] genes)
    {
        for (int p = _orderGene.Length - 1; p >= 0; p--)
        {
            var d = _orderDimension[p];
            if (d.IsPerLayer && _orderSlot[p] >= ActiveLayers(genes, d))
                continue;
            if (genes[_orderGene[p]] + 1 < d.Count)
            {
                genes[_orderGene[p]]++;
                for (int q = p + 1; q < _orderGene.Length; q++)
                    genes[_orderGene[q]] = 0;
                return true;
            }
        }
        return false;
    }

    private double[]? DepthCumulative(Dimension dimension)
    {
        if (!dimension.IsDepth)
            return null;
        var weights = Enumerable.Range(0, dimension.Count)
            .Select(gene => Description.LayerCombinations(dimension, dimension.DepthAt(gene)))
            .ToArray();
        // Log space keeps the ratios exact enough (1e-15 relative) even when the counts overflow a double.
        double logTotal = BigInteger.Log(weights.Aggregate(BigInteger.Zero, (a, b) => a + b));
        var cumulative = new double[weights.Length];
        double sum = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            sum += Math.Exp(BigInteger.Log(weights[i]) - logTotal);
            cumulative[i] = sum;
        }
        return cumulative;
    }

    private static (int[] Gene, Dimension[] Dimension, int[] Slot) EnumerationOrder(SearchSpaceDescription description)
    {
        var positions = description.ScalarDimensions.Select(d => (Gene: d.GeneOffset, Dimension: d, Slot: 0))
            .Concat(description.PerLayerDimensions.SelectMany(d => Enumerable.Range(0, d.Slots).Select(slot => (Gene: d.GeneOffset + slot, Dimension: d, Slot: slot))))
            .ToArray();
        return ([.. positions.Select(p => p.Gene)], [.. positions.Select(p => p.Dimension)], [.. positions.Select(p => p.Slot)]);
    }
}
