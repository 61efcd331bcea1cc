namespace SearchSpaceDsl;

// Numeric vectors for predictors and continuous optimizers.
public sealed partial class SearchSpace<TArch>
{
    // Where each dimension starts in an encoded vector, per EncodingKind.
    private readonly int[][] _encodingOffsets;

    /// <inheritdoc />
    public double[] Encode(TArch architecture, EncodingKind kind = EncodingKind.Ordinal)
    {
        var encoding = new double[Description.EncodingLength(kind)];
        Encode(architecture, encoding, kind);
        return encoding;
    }

    /// <summary>Writes the numeric vector of a member into <paramref name="destination"/> without allocating.</summary>
    public void Encode(TArch architecture, Span<double> destination, EncodingKind kind = EncodingKind.Ordinal)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        int length = Description.EncodingLength(kind);
        if (destination.Length != length)
            throw new ArgumentException($"{Description.Name} encodes to {length} numbers ({kind}), but the destination holds {destination.Length}.", nameof(destination));
        Span<int> genes = Description.GeneCount <= 512 ? stackalloc int[Description.GeneCount] : new int[Description.GeneCount];
        if (!architecture.TryWriteGenes(genes, errors: null) || FirstViolation(architecture) is not null)
            EnsureValid(architecture);

        destination.Clear();
        var offsets = _encodingOffsets[(int)kind];
        var dimensions = Description.Dimensions;
        for (int i = 0; i < dimensions.Length; i++)
        {
            var d = dimensions[i];
            var ordinals = d.Ordinals.AsSpan();
            var slots = genes.Slice(d.GeneOffset, d.IsPerLayer ? ActiveLayers(genes, d) : 1);
            var target = destination[offsets[i]..];
            if (kind == EncodingKind.Ordinal)
            {
                for (int slot = 0; slot < slots.Length; slot++)
                    target[slot] = ordinals[slots[slot]];
            }
            else
            {
                for (int slot = 0; slot < slots.Length; slot++)
                    target[slot * ordinals.Length + slots[slot]] = 1;
            }
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A vector of the wrong length, a NaN, or a decoded architecture that violates a constraint.</exception>
    public TArch Decode(ReadOnlySpan<double> encoding, EncodingKind kind = EncodingKind.Ordinal)
    {
        int length = Description.EncodingLength(kind);
        if (encoding.Length != length)
            throw new ArgumentException($"{Description.Name} encodes to {length} numbers ({kind}), but {encoding.Length} were given.", nameof(encoding));
        for (int k = 0; k < encoding.Length; k++)
        {
            if (double.IsNaN(encoding[k]))
                throw new ArgumentException($"Position {k} of the encoding is NaN.", nameof(encoding));
        }

        var genes = new int[Description.GeneCount];
        var offsets = _encodingOffsets[(int)kind];
        var dimensions = Description.Dimensions;
        // Scalars first: the per-layer slots that count depend on the decoded depths.
        foreach (bool perLayer in (ReadOnlySpan<bool>)[false, true])
        {
            for (int i = 0; i < dimensions.Length; i++)
            {
                var d = dimensions[i];
                if (d.IsPerLayer != perLayer)
                    continue;
                int active = perLayer ? ActiveLayers(genes, d) : 1;
                for (int slot = 0; slot < active; slot++)
                {
                    genes[d.GeneOffset + slot] = kind == EncodingKind.Ordinal
                        ? Nearest(d, encoding[offsets[i] + slot])
                        : ArgMax(encoding.Slice(offsets[i] + slot * d.Count, d.Count));
                }
            }
        }

        var architecture = TArch.FromGenes(genes);
        if (FirstViolation(architecture) is { } violated)
            throw new ArgumentException($"The encoding decodes to {architecture}, which violates {violated.Describe()}", nameof(encoding));
        return architecture;
    }

    private static int Nearest(Dimension d, double value)
    {
        int best = 0;
        for (int c = 1; c < d.Count; c++)
        {
            if (Math.Abs(d.Ordinals[c] - value) < Math.Abs(d.Ordinals[best] - value))
                best = c;
        }
        return best;
    }

    private static int ArgMax(ReadOnlySpan<double> block)
    {
        int best = 0;
        for (int c = 1; c < block.Length; c++)
        {
            if (block[c] > block[best])
                best = c;
        }
        return best;
    }

    private int[] EncodingOffsets(EncodingKind kind)
    {
        var offsets = new int[Description.Dimensions.Length];
        int offset = 0;
        for (int i = 0; i < offsets.Length; i++)
        {
            var d = Description.Dimensions[i];
            offsets[i] = offset;
            offset += d.Slots * (kind == EncodingKind.OneHot ? d.Count : 1);
        }
        return offsets;
    }
}
