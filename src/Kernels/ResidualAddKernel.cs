using ILGPU;
using ILGPU.Runtime;

namespace SearchSpaceDsl.Kernels;

/// <summary>The residual update <c>y[:rows, :d] += x[:rows, :d]</c>, each matrix read through its own row stride.</summary>
/// <remarks>One thread per element, explicit groups of <see cref="KernelGeometry.ElementThreads"/>; consecutive threads touch consecutive
/// columns of a row (coalesced).</remarks>
public sealed class ResidualAddKernel
{
    private readonly int _threads;

    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, Args> _kernel;

    internal ResidualAddKernel(Accelerator accelerator, int threads)
    {
        _threads = threads;
        _kernel = accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, Args>(Kernel);
    }

    /// <summary>Launches <c>y += x</c> over the first <paramref name="rows"/> × <paramref name="dim"/> elements (asynchronous).</summary>
    /// <param name="x">The addend.</param>
    /// <param name="y">The accumulator, updated in place; may not overlap <paramref name="x"/>.</param>
    /// <param name="rows">Rows to update.</param>
    /// <param name="dim">Columns to update.</param>
    /// <exception cref="ArgumentException">A size is below 1 or beyond a matrix.</exception>
    public void Run(DeviceMatrix x, DeviceMatrix y, int rows, int dim)
    {
        SizeChecks.Fits("rows", rows, x.Rows, "the addend's rows");
        SizeChecks.Fits("rows", rows, y.Rows, "the accumulator's rows");
        SizeChecks.Fits("dim", dim, x.Columns, "the addend's columns");
        SizeChecks.Fits("dim", dim, y.Columns, "the accumulator's columns");
        long count = (long)rows * dim;
        var args = new Args { Count = (int)count, Dim = dim, Ldx = x.RowStride, Ldy = y.RowStride };
        _kernel(new KernelConfig(new Index1D((int)((count + _threads - 1) / _threads)), new Index1D(_threads)), x.Data, y.Data, args);
    }

    /// <summary>Floating-point operations of one launch (one add per element).</summary>
    public static double Flops(int rows, int dim) => (double)rows * dim;

    internal struct Args
    {
        public int Count, Dim, Ldx, Ldy;
    }

    private static void Kernel(ArrayView<float> x, ArrayView<float> y, Args a)
    {
        int e = Grid.IdxX * Group.DimX + Group.IdxX;
        if (e >= a.Count)
            return;
        int r = e / a.Dim, j = e % a.Dim;
        y[r * a.Ldy + j] += x[r * a.Ldx + j];
    }
}
