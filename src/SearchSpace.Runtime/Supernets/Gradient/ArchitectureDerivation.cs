namespace SearchSpaceDsl.Supernets.Gradient;

/// <summary>Turns option scores (logits or weights, flattened in one-hot encoding order) into an architecture.</summary>
public static class ArchitectureDerivation
{
    /// <summary>
    /// The argmax option of every gene position (<c>TArch.Space.Decode</c> of a one-hot encoding: per-layer slots beyond
    /// the derived depth are ignored). When that violates a constraint, the valid architecture that changes one position
    /// to another option at the smallest loss of score is returned.
    /// </summary>
    /// <param name="scores">One score per option of every position, in one-hot encoding order.</param>
    /// <exception cref="ArgumentException">The length is not the space's one-hot encoding length.</exception>
    /// <exception cref="InvalidOperationException">Neither the argmax nor any single change of it is valid.</exception>
    public static TArch Argmax<TArch>(ReadOnlySpan<double> scores) where TArch : class, IArchitecture<TArch>
    {
        var space = TArch.Space;
        try
        {
            return space.Decode(scores, EncodingKind.OneHot);
        }
        catch (ArgumentException) when (scores.Length == space.Description.EncodingLength(EncodingKind.OneHot))
        {
            // A constraint fails: try single changes, the cheapest first.
        }

        var copy = scores.ToArray();
        var candidates = new List<(double Loss, int Offset, int Count, int Option)>();
        int offset = 0;
        foreach (var d in space.Description.Dimensions)
        {
            for (int slot = 0; slot < d.Slots; slot++, offset += d.Count)
            {
                var block = copy.AsSpan(offset, d.Count);
                double best = double.NegativeInfinity;
                foreach (double v in block)
                    best = Math.Max(best, v);
                for (int option = 0; option < d.Count; option++)
                {
                    if (block[option] < best)
                        candidates.Add((best - block[option], offset, d.Count, option));
                }
            }
        }
        foreach (var (_, start, count, option) in candidates.OrderBy(c => c.Loss))
        {
            var changed = (double[])copy.Clone();
            changed[start + option] = double.PositiveInfinity;
            try
            {
                return space.Decode(changed, EncodingKind.OneHot);
            }
            catch (ArgumentException)
            {
            }
        }
        throw new InvalidOperationException(
            $"The argmax architecture of '{space.Description.Name}' violates a constraint, and so does every architecture that differs from it in one position.");
    }
}
