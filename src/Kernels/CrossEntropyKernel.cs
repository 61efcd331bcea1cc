using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;

namespace SearchSpaceDsl.Kernels;

/// <summary>
/// Per-row cross-entropy of logits against target classes, <c>loss[r] = logsumexp(z[r, :classes]) − z[r, target[r]]</c>;
/// the mean over rows is <c>torch.nn.functional.cross_entropy</c>'s default reduction.
/// </summary>
/// <remarks>One group of <see cref="KernelGeometry.RowThreads"/> threads (128 on a GPU) per row: a strided partial maximum, one barrier, the maximum from
/// shared memory; the same for the sum of <c>exp(z − max)</c> (numerically stable). A target outside
/// <c>[0, classes)</c> gives NaN.</remarks>
public sealed class CrossEntropyKernel
{
    private readonly int _threads;

    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<int>, ArrayView<float>, Args> _kernel;

    internal CrossEntropyKernel(Accelerator accelerator, int threads)
    {
        _threads = threads;
        _kernel = accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<int>, ArrayView<float>, Args>(Kernel);
    }

    /// <summary>Launches the per-row losses on the default stream (asynchronous).</summary>
    /// <param name="logits">The logits, at least <paramref name="rows"/> × <paramref name="classes"/>.</param>
    /// <param name="targets">Target classes, at least <paramref name="rows"/>.</param>
    /// <param name="losses">The per-row losses, at least <paramref name="rows"/>.</param>
    /// <param name="rows">Rows.</param>
    /// <param name="classes">Classes (the vocabulary).</param>
    /// <exception cref="ArgumentException">A size is below 1 or beyond its buffer.</exception>
    public void Run(DeviceMatrix logits, ArrayView<int> targets, ArrayView<float> losses, int rows, int classes)
    {
        SizeChecks.Fits("rows", rows, logits.Rows, "the logits' rows");
        SizeChecks.Fits("classes", classes, logits.Columns, "the logits' columns");
        SizeChecks.Length("targets", rows, targets.Length);
        SizeChecks.Length("losses", rows, losses.Length);
        var args = new Args { Classes = classes, Ld = logits.RowStride };
        _kernel(new KernelConfig(new Index1D(rows), new Index1D(_threads)), logits.Data, targets, losses, args);
    }

    internal struct Args
    {
        public int Classes, Ld;
    }

    private static void Kernel(ArrayView<float> logits, ArrayView<int> targets, ArrayView<float> losses, Args a)
    {
        var maxima = SharedMemory.Allocate<float>(KernelGeometry.MaxRowThreads);
        var sums = SharedMemory.Allocate<float>(KernelGeometry.MaxRowThreads);
        int tid = Group.IdxX, threads = Group.DimX, r = Grid.IdxX;
        int baseIndex = r * a.Ld;

        float partialMax = float.NegativeInfinity;
        for (int c = tid; c < a.Classes; c += threads)
            partialMax = XMath.Max(partialMax, logits[baseIndex + c]);
        maxima[tid] = partialMax;
        Group.Barrier();
        float max = float.NegativeInfinity;
        for (int i = 0; i < threads; i++)
            max = XMath.Max(max, maxima[i]);

        float partialSum = 0f;
        for (int c = tid; c < a.Classes; c += threads)
            partialSum += XMath.Exp(logits[baseIndex + c] - max);
        sums[tid] = partialSum;
        Group.Barrier();

        if (tid != 0)
            return;
        float sum = 0f;
        for (int i = 0; i < threads; i++)
            sum += sums[i];
        int target = targets[r];
        losses[r] = target < 0 || target >= a.Classes
            ? float.NaN
            : max + XMath.Log(sum) - logits[baseIndex + target];
    }
}
