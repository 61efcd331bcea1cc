using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;

namespace SearchSpaceDsl.Kernels;

/// <summary>
/// The sliced linear map <c>y = x · W[:out, :in]ᵀ + b[:out]</c> (optionally followed by the exact GELU) over a
/// max-size weight read in place through its row stride (BRIEF section 3). Row and column selections may also be
/// blocks (<see cref="IndexBlocks"/>): the first <c>hs</c> rows of every head when the head size is a choice.
/// </summary>
/// <remarks>
/// Shared-memory tiled: one group of <c>s × s</c> threads (<see cref="KernelGeometry.GemmSide"/>; 16 on a GPU)
/// computes a <c>4s × 4s</c> tile of <c>y</c> (64 × 64 on a GPU), each thread a 4 × 4 block held in registers (rows
/// <c>ty + s·i</c>, outputs <c>tx + s·j</c>, so that reads from shared memory are broadcasts or conflict-free); the
/// reduction dimension advances in steps of <see cref="TileDepth"/>, staging a <c>4s × 16</c> tile of <c>x</c> and of
/// <c>W</c> in shared memory (padded by one column against bank conflicts) between two barriers. Out-of-range elements
/// load as zero, so no size need be a multiple of the tile. Every size is an argument: one compiled kernel serves every
/// sub-network and every group shape.
/// </remarks>
public sealed class SlicedGemmKernel
{
    /// <summary>The reduction step staged in shared memory.</summary>
    public const int TileDepth = 16;

    private const int Block = 4; // rows and outputs per thread
    private const int MaxPadded = Block * KernelGeometry.MaxGemmSide + 1;
    private readonly int _side;

    private readonly ArrayView<float> _noBias; // passed for "no bias": a kernel argument cannot be absent
    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, Args> _kernel;

    internal SlicedGemmKernel(Accelerator accelerator, ArrayView<float> placeholder, int side)
    {
        _side = side;
        _noBias = placeholder;
        _kernel = accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, Args>(Kernel);
    }

    /// <summary>
    /// Launches <c>y[:rows, :out] = act(x[:rows, :in] · W[rowsOf(out), colsOf(in)]ᵀ + b[rowsOf(out)])</c> on the
    /// accelerator's default stream (asynchronous; synchronize before reading <c>y</c>).
    /// </summary>
    /// <param name="x">The input, at least <paramref name="rows"/> × <paramref name="inFeatures"/> (its first columns are read).</param>
    /// <param name="weight">The max-size weight <c>[outMax, inMax]</c>.</param>
    /// <param name="bias">The max-size bias <c>[outMax]</c>, or null for none.</param>
    /// <param name="y">The output, at least <paramref name="rows"/> × <paramref name="outFeatures"/>; may not overlap the inputs.</param>
    /// <param name="rows">Rows of <c>x</c> (tokens) to map.</param>
    /// <param name="inFeatures">Active input features.</param>
    /// <param name="outFeatures">Active output features.</param>
    /// <param name="gelu">Whether to apply the exact GELU to the result.</param>
    /// <param name="outBlocks">Which weight rows (and bias entries) the outputs read; contiguous (a prefix) by default.</param>
    /// <param name="inBlocks">Which weight columns the inputs meet; contiguous (a prefix) by default.</param>
    /// <exception cref="ArgumentException">A size is below 1 or beyond its buffer ("out 200 exceeds the weight's rows 128").</exception>
    public void Run(DeviceMatrix x, DeviceMatrix weight, ArrayView<float>? bias, DeviceMatrix y, int rows,
        int inFeatures, int outFeatures, bool gelu = false, IndexBlocks? outBlocks = null, IndexBlocks? inBlocks = null)
    {
        var outMap = outBlocks ?? IndexBlocks.Contiguous;
        var inMap = inBlocks ?? IndexBlocks.Contiguous;
        SizeChecks.Fits("rows", rows, x.Rows, "the input's rows");
        SizeChecks.Fits("rows", rows, y.Rows, "the output's rows");
        SizeChecks.Fits("in", inFeatures, x.Columns, "the input's columns");
        SizeChecks.Fits("out", outFeatures, y.Columns, "the output's columns");
        SizeChecks.Reaches("out", outFeatures, outMap, weight.Rows, "the weight's rows");
        SizeChecks.Reaches("in", inFeatures, inMap, weight.Columns, "the weight's columns");
        if (bias is { } b)
            SizeChecks.Length("bias", outMap.Map(outFeatures - 1) + 1, b.Length);

        var args = new Args
        {
            Rows = rows, In = inFeatures, Out = outFeatures,
            Ldx = x.RowStride, Ldw = weight.RowStride, Ldy = y.RowStride,
            OutBlock = outMap.Block, OutStride = outMap.Stride, InBlock = inMap.Block, InStride = inMap.Stride,
            HasBias = bias is null ? 0 : 1, Gelu = gelu ? 1 : 0,
        };
        int tile = Block * _side;
        var grid = new Index2D((outFeatures + tile - 1) / tile, (rows + tile - 1) / tile);
        _kernel(new KernelConfig(grid, new Index2D(_side, _side)), x.Data, weight.Data, bias ?? _noBias, y.Data, args);
    }

    /// <summary>Floating-point operations of one launch (a multiply-add is 2).</summary>
    public static double Flops(int rows, int inFeatures, int outFeatures) => 2.0 * rows * inFeatures * outFeatures;

    internal struct Args
    {
        public int Rows, In, Out, Ldx, Ldw, Ldy, OutBlock, OutStride, InBlock, InStride, HasBias, Gelu;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Map(int index, int block, int stride) =>
        block == int.MaxValue ? index : index / block * stride + index % block;

    private static void Kernel(ArrayView<float> x, ArrayView<float> w, ArrayView<float> bias, ArrayView<float> y, Args a)
    {
        var xs = SharedMemory.Allocate<float>(TileDepth * MaxPadded);
        var ws = SharedMemory.Allocate<float>(TileDepth * MaxPadded);
        int side = Group.DimX, threads = side * side, tile = Block * side, padded = tile + 1;
        int tx = Group.IdxX, ty = Group.IdxY;
        int tid = ty * side + tx;
        int row0 = Grid.IdxY * tile, col0 = Grid.IdxX * tile;

        float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;

        for (int k0 = 0; k0 < a.In; k0 += TileDepth)
        {
            // 4s × 16 elements of each operand (64/s per thread); 16 consecutive threads read one row's 16 consecutive
            // elements (coalesced) and store them transposed, so the inner loop reads along the tile's rows.
            for (int e = tid; e < tile * TileDepth; e += threads)
            {
                int r = e / TileDepth, k = e % TileDepth;
                int gk = k0 + k;
                int gr = row0 + r;
                xs[k * padded + r] = gr < a.Rows && gk < a.In ? x[gr * a.Ldx + gk] : 0f;
                int gn = col0 + r;
                ws[k * padded + r] = gn < a.Out && gk < a.In
                    ? w[Map(gn, a.OutBlock, a.OutStride) * a.Ldw + Map(gk, a.InBlock, a.InStride)]
                    : 0f;
            }
            Group.Barrier();

            for (int kk = 0; kk < TileDepth; kk++)
            {
                int o = kk * padded;
                float a0 = xs[o + ty], a1 = xs[o + ty + side], a2 = xs[o + ty + 2 * side], a3 = xs[o + ty + 3 * side];
                float b0 = ws[o + tx], b1 = ws[o + tx + side], b2 = ws[o + tx + 2 * side], b3 = ws[o + tx + 3 * side];
                c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
                c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
                c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
                c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
            }
            Group.Barrier();
        }

        int r0 = row0 + ty, r1 = r0 + side, r2 = r1 + side, r3 = r2 + side;
        int n0 = col0 + tx, n1 = n0 + side, n2 = n1 + side, n3 = n2 + side;
        Store(y, bias, a, r0, n0, c00); Store(y, bias, a, r0, n1, c01); Store(y, bias, a, r0, n2, c02); Store(y, bias, a, r0, n3, c03);
        Store(y, bias, a, r1, n0, c10); Store(y, bias, a, r1, n1, c11); Store(y, bias, a, r1, n2, c12); Store(y, bias, a, r1, n3, c13);
        Store(y, bias, a, r2, n0, c20); Store(y, bias, a, r2, n1, c21); Store(y, bias, a, r2, n2, c22); Store(y, bias, a, r2, n3, c23);
        Store(y, bias, a, r3, n0, c30); Store(y, bias, a, r3, n1, c31); Store(y, bias, a, r3, n2, c32); Store(y, bias, a, r3, n3, c33);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ArrayView<float> y, ArrayView<float> bias, Args a, int r, int n, float value)
    {
        if (r >= a.Rows || n >= a.Out)
            return;
        if (a.HasBias != 0)
            value += bias[Map(n, a.OutBlock, a.OutStride)];
        if (a.Gelu != 0)
            value = DeviceMath.Gelu(value);
        y[r * a.Ldy + n] = value;
    }
}
