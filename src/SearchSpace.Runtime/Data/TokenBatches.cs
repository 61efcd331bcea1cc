using TorchSharp;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Data;

/// <summary>
/// Windows of a token sequence as next-token prediction batches: inputs <c>[batch, context]</c> and targets shifted
/// by one, both int64.
/// </summary>
public static class TokenBatches
{
    /// <summary>A batch of windows at uniformly drawn offsets, for training.</summary>
    public static (Tensor Inputs, Tensor Targets) Sample(ReadOnlySpan<int> tokens, int batch, int context, Random random, Device? device = null)
    {
        Check(tokens, batch, context);
        var offsets = new int[batch];
        for (int b = 0; b < batch; b++)
            offsets[b] = random.Next(tokens.Length - context);
        return Gather(tokens, offsets, context, device);
    }

    /// <summary>
    /// Consecutive, non-overlapping windows covering the sequence from its start, in batches of up to
    /// <paramref name="batch"/>: a deterministic evaluation set (the incomplete tail window is left out).
    /// </summary>
    public static IEnumerable<(Tensor Inputs, Tensor Targets)> Sequential(int[] tokens, int batch, int context, int maxBatches = int.MaxValue, Device? device = null)
    {
        Check(tokens, batch, context);
        int windows = (tokens.Length - 1) / context;
        for (int first = 0, produced = 0; first < windows && produced < maxBatches; first += batch, produced++)
        {
            var offsets = Enumerable.Range(first, Math.Min(batch, windows - first)).Select(w => w * context).ToArray();
            yield return Gather(tokens, offsets, context, device);
        }
    }

    private static (Tensor Inputs, Tensor Targets) Gather(ReadOnlySpan<int> tokens, int[] offsets, int context, Device? device)
    {
        var inputs = new long[offsets.Length * context];
        var targets = new long[offsets.Length * context];
        for (int b = 0; b < offsets.Length; b++)
        {
            for (int t = 0; t < context; t++)
            {
                inputs[b * context + t] = tokens[offsets[b] + t];
                targets[b * context + t] = tokens[offsets[b] + t + 1];
            }
        }
        long[] shape = [offsets.Length, context];
        return (tensor(inputs, shape, device: device), tensor(targets, shape, device: device));
    }

    private static void Check(ReadOnlySpan<int> tokens, int batch, int context)
    {
        if (batch < 1)
            throw new ArgumentOutOfRangeException(nameof(batch), $"The batch size must be at least 1, got {batch}.");
        if (context < 1 || context >= tokens.Length)
            throw new ArgumentOutOfRangeException(nameof(context), $"The context must be in [1, {tokens.Length - 1}] for {tokens.Length} tokens, got {context}.");
    }
}
