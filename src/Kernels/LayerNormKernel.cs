using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;

namespace SearchSpaceDsl.Kernels;

/// <summary>
/// LayerNorm over the first <c>d</c> features, <c>y = (x − mean)/√(var + eps)·γ[:d] + β[:d]</c> with the statistics
/// (biased variance, as torch) of those <c>d</c> features only (BRIEF section 3).
/// </summary>
/// <remarks>
/// One group of <see cref="KernelGeometry.RowThreads"/> threads (128 on a GPU) per row. Two passes for accuracy (the mean, then the mean squared
/// deviation), each a strided partial sum per thread, one barrier, and every thread summing the partials from shared
/// memory in the same order (broadcast reads; no reduction tree, so two barriers per row in all). May run in place
/// (<c>y</c> = <c>x</c>): every element is read and written by the same thread.
/// </remarks>
public sealed class LayerNormKernel
{
    private readonly int _threads;

    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, Args> _kernel;

    internal LayerNormKernel(Accelerator accelerator, int threads)
    {
        _threads = threads;
        _kernel = accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, Args>(Kernel);
    }

    /// <summary>Launches the normalisation of <paramref name="rows"/> rows on the default stream (asynchronous).</summary>
    /// <param name="x">The input, at least <paramref name="rows"/> × <paramref name="dim"/>.</param>
    /// <param name="gamma">The max-size scale <c>γ[dimMax]</c>.</param>
    /// <param name="beta">The max-size shift <c>β[dimMax]</c>.</param>
    /// <param name="y">The output, like <paramref name="x"/>; may be <paramref name="x"/> itself.</param>
    /// <param name="rows">Rows to normalise.</param>
    /// <param name="dim">Active features.</param>
    /// <param name="eps">Added to the variance (torch's default 1e-5).</param>
    /// <exception cref="ArgumentException">A size is below 1 or beyond its buffer.</exception>
    public void Run(DeviceMatrix x, ArrayView<float> gamma, ArrayView<float> beta, DeviceMatrix y, int rows, int dim,
        float eps = 1e-5f)
    {
        SizeChecks.Fits("rows", rows, x.Rows, "the input's rows");
        SizeChecks.Fits("rows", rows, y.Rows, "the output's rows");
        SizeChecks.Fits("dim", dim, x.Columns, "the input's columns");
        SizeChecks.Fits("dim", dim, y.Columns, "the output's columns");
        SizeChecks.Fits("dim", dim, gamma.Length, "the norm's weight features");
        SizeChecks.Fits("dim", dim, beta.Length, "the norm's bias features");
        var args = new Args { Dim = dim, Ldx = x.RowStride, Ldy = y.RowStride, Eps = eps };
        _kernel(new KernelConfig(new Index1D(rows), new Index1D(_threads)), x.Data, gamma, beta, y.Data, args);
    }

    /// <summary>Floating-point operations of one launch (about 8 per element: two passes of statistics, the affine map).</summary>
    public static double Flops(int rows, int dim) => 8.0 * rows * dim;

    internal struct Args
    {
        public int Dim, Ldx, Ldy;
        public float Eps;
    }

    private static void Kernel(ArrayView<float> x, ArrayView<float> gamma, ArrayView<float> beta, ArrayView<float> y, Args a)
    {
        var sums = SharedMemory.Allocate<float>(KernelGeometry.MaxRowThreads);
        var squares = SharedMemory.Allocate<float>(KernelGeometry.MaxRowThreads);
        int tid = Group.IdxX, threads = Group.DimX;
        int xBase = Grid.IdxX * a.Ldx, yBase = Grid.IdxX * a.Ldy;

        float partial = 0f;
        for (int j = tid; j < a.Dim; j += threads)
            partial += x[xBase + j];
        sums[tid] = partial;
        Group.Barrier();
        float total = 0f;
        for (int i = 0; i < threads; i++)
            total += sums[i];
        float mean = total / a.Dim;

        float deviation = 0f;
        for (int j = tid; j < a.Dim; j += threads)
        {
            float c = x[xBase + j] - mean;
            deviation += c * c;
        }
        squares[tid] = deviation;
        Group.Barrier();
        float variance = 0f;
        for (int i = 0; i < threads; i++)
            variance += squares[i];
        float inverse = 1f / XMath.Sqrt(variance / a.Dim + a.Eps);

        for (int j = tid; j < a.Dim; j += threads)
            y[yBase + j] = (x[xBase + j] - mean) * inverse * gamma[j] + beta[j];
    }
}
