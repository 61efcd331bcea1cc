namespace SearchSpaceDsl.Search.Predictors;

/// <summary>
/// Kendall's rank correlation τ-b, the usual measure of how well a predictor ranks architectures: +1 for the same
/// order, −1 for the reverse, about 0 for unrelated orders, with the tie correction of τ-b.
/// </summary>
public static class KendallTau
{
    /// <summary>
    /// τ-b of the paired values: <c>(C − D) / √((P − T_a)(P − T_b))</c>, where over the <c>P = n(n−1)/2</c> pairs,
    /// <c>C</c> are concordant, <c>D</c> discordant, and <c>T_a</c>, <c>T_b</c> tied in <paramref name="a"/>,
    /// respectively <paramref name="b"/>. O(n²).
    /// </summary>
    /// <param name="a">The first values (for instance predictions).</param>
    /// <param name="b">The second values (for instance measured objectives), paired with <paramref name="a"/> by index.</param>
    /// <returns>τ-b in [−1, 1]; <see cref="double.NaN"/> when either side is constant, since a ranking with every
    /// pair tied has no order to agree with.</returns>
    /// <exception cref="ArgumentException">The lengths differ, there are fewer than 2 pairs, or a value is not finite.</exception>
    public static double Compute(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count)
            throw new ArgumentException($"Kendall's tau needs paired values; there are {a.Count} and {b.Count}.", nameof(b));
        var n = a.Count;
        if (n < 2)
            throw new ArgumentException($"Kendall's tau needs at least 2 pairs; there are {n}.", nameof(a));
        for (var i = 0; i < n; i++)
        {
            if (!double.IsFinite(a[i]))
                throw new ArgumentException($"Value {i} of the first list is not finite ({a[i]}).", nameof(a));
            if (!double.IsFinite(b[i]))
                throw new ArgumentException($"Value {i} of the second list is not finite ({b[i]}).", nameof(b));
        }

        long concordantMinusDiscordant = 0, untiedA = 0, untiedB = 0;
        for (var i = 0; i < n; i++)
        {
            var ai = a[i];
            var bi = b[i];
            for (var j = i + 1; j < n; j++)
            {
                var sa = Math.Sign(ai - a[j]);
                var sb = Math.Sign(bi - b[j]);
                concordantMinusDiscordant += sa * sb;
                untiedA += sa * sa;
                untiedB += sb * sb;
            }
        }
        if (untiedA == 0 || untiedB == 0)
            return double.NaN;
        return concordantMinusDiscordant / Math.Sqrt((double)untiedA * untiedB);
    }
}
