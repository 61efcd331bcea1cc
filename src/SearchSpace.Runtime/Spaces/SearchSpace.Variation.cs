namespace SearchSpaceDsl;

// Mutation and crossover for evolutionary optimizers.
public sealed partial class SearchSpace<TArch>
{
    private const int VariationAttempts = 100;

    /// <inheritdoc />
    /// <remarks>
    /// One active position (a scalar choice, a depth, or one layer's choice) changes to another value; when a
    /// depth grows, the new layers get uniformly drawn values.
    /// </remarks>
    /// <exception cref="InvalidOperationException">No valid architecture is one such step away.</exception>
    public TArch Mutate(TArch architecture, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var parent = GenesOf(architecture, nameof(architecture));
        var child = new int[parent.Length];
        for (int attempt = 0; attempt < VariationAttempts; attempt++)
        {
            parent.CopyTo(child, 0);
            if (!MutateOnePosition(child, random))
                break;
            var mutant = TArch.FromGenes(child);
            if (FirstViolation(mutant) is null)
                return mutant;
        }
        throw new InvalidOperationException(
            $"{architecture} has no valid neighbour in {Description.Name}: every dimension has one choice or the constraints reject the neighbours tried.");
    }

    /// <inheritdoc />
    /// <remarks>
    /// Uniform crossover: each scalar choice and depth comes from either parent; each active layer takes the
    /// layer of a parent that has it. When the constraints reject every child tried, a parent is returned.
    /// </remarks>
    public TArch Crossover(TArch first, TArch second, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var a = GenesOf(first, nameof(first));
        var b = GenesOf(second, nameof(second));
        var child = new int[a.Length];
        for (int attempt = 0; attempt < VariationAttempts; attempt++)
        {
            foreach (var d in Description.ScalarDimensions)
                child[d.GeneOffset] = (random.Next(2) == 0 ? a : b)[d.GeneOffset];
            foreach (var d in Description.PerLayerDimensions)
            {
                int active = ActiveLayers(child, d), inA = ActiveLayers(a, d), inB = ActiveLayers(b, d);
                for (int layer = 0; layer < d.Slots; layer++)
                {
                    int gene = d.GeneOffset + layer;
                    child[gene] = layer >= active ? 0
                        : layer < inA && layer < inB ? (random.Next(2) == 0 ? a : b)[gene]
                        : layer < inA ? a[gene] : b[gene];
                }
            }
            var offspring = TArch.FromGenes(child);
            if (FirstViolation(offspring) is null)
                return offspring;
        }
        return random.Next(2) == 0 ? first : second;
    }

    private bool MutateOnePosition(int[] genes, Random random)
    {
        int candidates = 0;
        for (int p = 0; p < _orderGene.Length; p++)
            candidates += IsMutable(genes, p) ? 1 : 0;
        if (candidates == 0)
            return false;
        int pick = random.Next(candidates);
        for (int p = 0; p < _orderGene.Length; p++)
        {
            if (!IsMutable(genes, p) || pick-- > 0)
                continue;
            var d = _orderDimension[p];
            int gene = _orderGene[p], old = genes[gene];
            int next = random.Next(d.Count - 1);
            genes[gene] = next >= old ? next + 1 : next;
            if (d.IsDepth)
                ResizeLayers(genes, d, d.DepthAt(old), d.DepthAt(genes[gene]), random);
            return true;
        }
        return false;
    }

    private bool IsMutable(int[] genes, int position)
    {
        var d = _orderDimension[position];
        return d.Count > 1 && (!d.IsPerLayer || _orderSlot[position] < ActiveLayers(genes, d));
    }

    private void ResizeLayers(int[] genes, Dimension depth, int oldDepth, int newDepth, Random random)
    {
        foreach (var d in Description.LayersOf(depth))
        {
            for (int layer = oldDepth; layer < newDepth; layer++)
                genes[d.GeneOffset + layer] = random.Next(d.Count);
            for (int layer = newDepth; layer < oldDepth; layer++)
                genes[d.GeneOffset + layer] = 0;
        }
    }
}
