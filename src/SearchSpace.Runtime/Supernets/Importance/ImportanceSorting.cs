namespace SearchSpaceDsl.Supernets;

/// <summary>
/// Importance sorting: permutes the stored units of an entangled layer once, in descending order of an importance
/// score (<see cref="ImportanceScores"/>), so that every prefix sub-network keeps the most important units while the
/// full-size network computes exactly the same function (BRIEF section 3: after sorting, prefixes remain the rule).
/// </summary>
/// <remarks>
/// <para>Sorting is stable: units of equal score keep their relative order, so sorting an already sorted layer changes
/// nothing. Scores must be finite. The permutations are applied in place by the layers' <c>Permute…</c> methods: the
/// parameter objects stay the same (optimizers built before still update them), gradients are permuted with their
/// weights, optimizer state such as momentum is not: sort before training or rebuild the optimizer afterwards.</para>
/// <para>Every returned order is in terms of the units' positions before the call: position <c>i</c> now holds the unit
/// that was at <c>order[i]</c>.</para>
/// </remarks>
public static partial class ImportanceSorting
{
    /// <summary>
    /// Sorts the MLP's hidden neurons by <see cref="ImportanceScores.MlpNeurons"/>, most important first.
    /// </summary>
    /// <param name="mlp">The MLP, permuted in place.</param>
    /// <returns>The applied order: position <c>i</c> now holds the neuron that was at <c>order[i]</c>.</returns>
    public static long[] Sort(EntangledMlp mlp) => Sort(mlp, ImportanceScores.MlpNeurons(mlp));

    /// <summary>Sorts the MLP's hidden neurons by the given scores (e.g. activation-based ones), most important first.</summary>
    /// <param name="mlp">The MLP, permuted in place.</param>
    /// <param name="scores"><see cref="EntangledMlp.HiddenMax"/> finite scores, by stored neuron position.</param>
    /// <returns>The applied order: position <c>i</c> now holds the neuron that was at <c>order[i]</c>.</returns>
    /// <exception cref="ArgumentException">The number of scores is wrong or a score is not finite; nothing is changed.</exception>
    public static long[] Sort(EntangledMlp mlp, ReadOnlySpan<double> scores)
    {
        ArgumentNullException.ThrowIfNull(mlp);
        ImportanceScores.CheckCount(mlp.GetName(), nameof(scores), "neuron scores", scores.Length, mlp.HiddenMax);
        var order = DescendingOrder(mlp.GetName(), nameof(scores), scores, 0, scores.Length);
        mlp.PermuteNeurons(order);
        return order;
    }

    /// <summary>
    /// Sorts the attention layer by the weight-based scores: heads by <see cref="ImportanceScores.AttentionHeads"/>
    /// and, optionally, the dimensions within heads (see <see cref="Sort(EntangledSelfAttention, ReadOnlySpan{double}, bool)"/>).
    /// </summary>
    /// <param name="attention">The attention layer, permuted in place.</param>
    /// <param name="sortHeadDims">Whether to sort the dimensions within heads too; useful only when the head size is a
    /// choice (with a fixed head size every sub-network uses whole heads, and it only costs time).</param>
    /// <returns>The applied orders.</returns>
    public static AttentionOrder Sort(EntangledSelfAttention attention, bool sortHeadDims = true) =>
        Sort(attention, ImportanceScores.AttentionHeads(attention), sortHeadDims);

    /// <summary>
    /// Sorts the attention layer by the given head scores (e.g. activation-based ones), most important first.
    /// </summary>
    /// <remarks>
    /// <para>Multi-head attention: whole heads are sorted by their scores (<see cref="EntangledSelfAttention.PermuteHeads"/>).</para>
    /// <para>Grouped-query attention, where a sub-network keeps the first <c>kvGroups</c> groups and the first
    /// <c>heads / kvGroups</c> query heads of each: first the query heads within each group are sorted by their scores
    /// (<see cref="EntangledSelfAttention.PermuteHeads"/>), then whole groups, each key/value head with its query heads,
    /// by the group score <see cref="ImportanceScores.GroupScores"/>, the L2 norm of its heads' scores
    /// (<see cref="EntangledSelfAttention.PermuteKvGroups"/>). A query head never changes group, so every head keeps its
    /// key/value head and the function is unchanged.</para>
    /// <para>Head dimensions (when <paramref name="sortHeadDims"/> and the head size exceeds 1): afterwards, within each
    /// key/value head, the query/key dimensions are sorted by <see cref="ImportanceScores.AttentionQueryKeyDims"/> and the
    /// value dimensions by <see cref="ImportanceScores.AttentionValueDims"/>
    /// (<see cref="EntangledSelfAttention.PermuteHeadDims"/>).</para>
    /// </remarks>
    /// <param name="attention">The attention layer, permuted in place.</param>
    /// <param name="headScores"><see cref="EntangledSelfAttention.HeadsMax"/> finite scores, by stored head position.</param>
    /// <param name="sortHeadDims">Whether to sort the dimensions within heads too (see the overload without scores).</param>
    /// <returns>The applied orders.</returns>
    /// <exception cref="ArgumentException">The number of scores is wrong or a score is not finite; nothing is changed.</exception>
    public static AttentionOrder Sort(EntangledSelfAttention attention, ReadOnlySpan<double> headScores,
        bool sortHeadDims = true)
    {
        ArgumentNullException.ThrowIfNull(attention);
        var name = attention.GetName();
        ImportanceScores.CheckCount(name, nameof(headScores), "head scores", headScores.Length, attention.HeadsMax);
        foreach (var score in headScores)
            if (!double.IsFinite(score))
                throw NotFinite(name, nameof(headScores), score);

        long[] heads;
        long[]? groups = null;
        if (!attention.IsGroupedQuery)
        {
            heads = DescendingOrder(name, nameof(headScores), headScores, 0, headScores.Length);
            attention.PermuteHeads(heads);
        }
        else
        {
            int perGroup = attention.QueriesPerGroupMax;
            var within = new long[attention.HeadsMax];
            for (var g = 0; g < attention.KvGroupsMax; g++)
                DescendingOrder(name, nameof(headScores), headScores, g * perGroup, perGroup)
                    .CopyTo(within, g * perGroup);
            attention.PermuteHeads(within);

            // Group scores do not depend on the order within groups.
            var groupScores = ImportanceScores.GroupScores(attention, headScores);
            groups = DescendingOrder(name, nameof(headScores), groupScores, 0, groupScores.Length);
            attention.PermuteKvGroups(groups);

            var movedHeads = EntangledPermutation.ExpandBlocks(groups, perGroup);
            heads = movedHeads.Select(i => within[i]).ToArray();
        }

        long[]? queryKeyDims = null, valueDims = null;
        if (sortHeadDims && attention.HeadSizeMax > 1)
        {
            int hs = attention.HeadSizeMax;
            var queryKeyScores = ImportanceScores.AttentionQueryKeyDims(attention);
            var valueScores = ImportanceScores.AttentionValueDims(attention);
            var queryKeyOrder = new long[queryKeyScores.Length];
            var valueOrder = new long[valueScores.Length];
            for (var g = 0; g < attention.KvHeadsMax; g++)
            {
                DescendingOrder(name, "query/key dimension scores", queryKeyScores, g * hs, hs).CopyTo(queryKeyOrder, g * hs);
                DescendingOrder(name, "value dimension scores", valueScores, g * hs, hs).CopyTo(valueOrder, g * hs);
            }
            attention.PermuteHeadDims(queryKeyOrder, valueOrder);

            // In terms of the key/value rows before the call: first the heads/groups moved, then the dims within them.
            var movedRows = EntangledPermutation.ExpandBlocks(groups ?? heads, hs);
            queryKeyDims = queryKeyOrder.Select(i => movedRows[i]).ToArray();
            valueDims = valueOrder.Select(i => movedRows[i]).ToArray();
        }

        return new AttentionOrder(heads, groups, queryKeyDims, valueDims);
    }

    /// <summary>
    /// The stable descending order of <c>scores[start … start+count-1]</c>, as indices into <paramref name="scores"/>:
    /// ties keep the lower index first.
    /// </summary>
    private static long[] DescendingOrder(string layer, string parameterName, ReadOnlySpan<double> scores, int start, int count)
    {
        var slice = scores.Slice(start, count).ToArray();
        foreach (var score in slice)
            if (!double.IsFinite(score))
                throw NotFinite(layer, parameterName, score);
        return Enumerable.Range(0, count)
            .OrderByDescending(i => slice[i])   // OrderBy is stable
            .Select(i => (long)(start + i))
            .ToArray();
    }

    private static ArgumentException NotFinite(string layer, string parameterName, double score) =>
        new($"Layer '{layer}': importance scores must be finite, got {score}. Nothing was changed.", parameterName);
}

/// <summary>
/// The orders importance sorting applied to an attention layer, each in terms of the positions before sorting:
/// position <c>i</c> now holds the unit that was at <c>order[i]</c>.
/// </summary>
/// <param name="Heads">The query heads, <c>HeadsMax</c> entries (under grouped-query attention, the result of sorting
/// within groups and then the groups).</param>
/// <param name="KvGroups">The key/value groups, <c>KvGroupsMax</c> entries; null for multi-head attention.</param>
/// <param name="QueryKeyDims">The key rows, <c>KvHeadsMax·HeadSizeMax</c> entries (whole heads moved, then dimensions
/// within them; query rows follow their group's key head); null when head dimensions were not sorted.</param>
/// <param name="ValueDims">The value rows, likewise (output columns follow); null when head dimensions were not sorted.</param>
public sealed record AttentionOrder(long[] Heads, long[]? KvGroups, long[]? QueryKeyDims, long[]? ValueDims);
