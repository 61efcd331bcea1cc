using TorchSharp;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Supernets;

/// <summary>
/// Shared plumbing of the in-place unit permutations that importance sorting applies to the entangled layers
/// (BRIEF section 3: the stored weights are permuted once, so that prefixes remain the rule).
/// </summary>
/// <remarks>
/// <para>An order is read the same way everywhere: <c>order[i]</c> is the old index of the unit stored at position
/// <c>i</c> afterwards (the convention of <c>index_select</c>). Orders are validated completely before any weight is
/// touched, so a rejected order changes nothing.</para>
/// <para>Parameters are permuted in place: the permuted rows or columns are gathered into a temporary
/// (<c>index_select</c>) and copied back with <c>copy_</c> under <c>torch.no_grad()</c>. The parameter objects and their
/// storage stay the same, so optimizers and any other holder of a reference keep working. An existing gradient is
/// permuted the same way so that it stays aligned with its weights; per-parameter optimizer state (momentum, Adam
/// moments) is not reachable from here and is left as it is: sort before training, or rebuild the optimizer after.</para>
/// </remarks>
internal static class EntangledPermutation
{
    /// <summary>
    /// Checks that <paramref name="order"/> is a permutation of <c>[0, count)</c> that maps every block of
    /// <paramref name="blockSize"/> consecutive indices onto itself (no constraint when the block is the whole range),
    /// and returns it as an array.
    /// </summary>
    /// <param name="layer">The layer's name, for the message.</param>
    /// <param name="parameterName">The argument's name, for the exception.</param>
    /// <param name="what">What the indices number, for the message (e.g. "hidden neurons").</param>
    /// <param name="order">The order to check.</param>
    /// <param name="count">The number of units.</param>
    /// <param name="blockSize">The size of the blocks that must map onto themselves; <paramref name="count"/> for none.</param>
    /// <param name="blockName">What a block is, for the message (e.g. "key/value group").</param>
    /// <exception cref="ArgumentException">The order is not such a permutation; the message names the layer and the
    /// first fault.</exception>
    internal static long[] Check(string layer, string parameterName, string what, ReadOnlySpan<long> order, int count,
        int blockSize = 0, string blockName = "")
    {
        if (blockSize <= 0) blockSize = count;
        if (order.Length != count)
            throw Invalid(layer, parameterName, what, count,
                $"it has {order.Length} entries instead of {count}");
        var seen = new bool[count];
        for (var i = 0; i < order.Length; i++)
        {
            var old = order[i];
            if (old < 0 || old >= count)
                throw Invalid(layer, parameterName, what, count, $"entry {i} is {old}, outside [0, {count})");
            if (seen[old])
                throw Invalid(layer, parameterName, what, count, $"{old} appears more than once (again at entry {i})");
            seen[old] = true;
            if (old / blockSize != i / blockSize)
                throw Invalid(layer, parameterName, what, count,
                    $"entry {i} moves unit {old} out of its {blockName} {old / blockSize} into {blockName} {i / blockSize} "
                    + $"(each {blockName} of {blockSize} may only be permuted within itself)");
        }
        return order.ToArray();
    }

    private static ArgumentException Invalid(string layer, string parameterName, string what, int count, string fault) =>
        new($"Layer '{layer}': the order of the {what} must be a permutation of [0, {count}), but {fault}. "
            + "Nothing was changed.", parameterName);

    /// <summary>
    /// Expands an order of blocks of <paramref name="blockSize"/> consecutive indices into the order of the indices:
    /// index <c>i·blockSize + j</c> comes from <c>order[i]·blockSize + j</c>.
    /// </summary>
    internal static long[] ExpandBlocks(ReadOnlySpan<long> order, long blockSize)
    {
        var expanded = new long[order.Length * blockSize];
        for (var i = 0; i < order.Length; i++)
            for (long j = 0; j < blockSize; j++)
                expanded[i * blockSize + j] = order[i] * blockSize + j;
        return expanded;
    }

    /// <summary>The identity order of <c>[0, count)</c>.</summary>
    internal static long[] Identity(long count)
    {
        var order = new long[count];
        for (long i = 0; i < count; i++) order[i] = i;
        return order;
    }

    /// <summary>
    /// Permutes <paramref name="parameter"/> (and its gradient, if any) in place along <paramref name="dim"/>:
    /// position <c>i</c> receives the slice that was at <c>index[i]</c>. Does nothing for a null parameter.
    /// </summary>
    internal static void PermuteInPlace(Tensor? parameter, long dim, long[] index)
    {
        if (parameter is null) return;
        using var scope = NewDisposeScope();
        using var noGrad = torch.no_grad();
        var indices = torch.tensor(index, dtype: ScalarType.Int64, device: parameter.device);
        var permuted = parameter.index_select(dim, indices);
        parameter.copy_(permuted);
        var grad = parameter.grad;
        if (grad is not null)
        {
            var permutedGrad = grad.index_select(dim, indices);
            grad.copy_(permutedGrad);
        }
    }
}
