using ILGPU;
using ILGPU.Runtime;

namespace SearchSpaceDsl.Kernels;

/// <summary>
/// The embedding gather of the first <c>d</c> columns, <c>y[r, :d] = E[ids[r], :d]</c> (BRIEF section 3), optionally
/// plus a position embedding <c>P[r mod seq, :d]</c> (GPT's learned positions, fused to save a pass).
/// </summary>
/// <remarks>One thread per output element, explicit groups of <see cref="KernelGeometry.ElementThreads"/>. An id outside the table writes
/// NaN instead of reading out of bounds (the host API taking <c>int[]</c> ids rejects them before upload).</remarks>
public sealed class EmbeddingKernel
{

    private readonly Action<KernelConfig, ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, Args> _kernel;
    private readonly ArrayView<float> _placeholder; // passed for "no positions": a kernel argument cannot be absent

    private readonly int _threads;

    internal EmbeddingKernel(Accelerator accelerator, ArrayView<float> placeholder, int threads)
    {
        _threads = threads;
        _placeholder = placeholder;
        _kernel = accelerator.LoadStreamKernel<ArrayView<int>, ArrayView<float>, ArrayView<float>, ArrayView<float>, Args>(Kernel);
    }

    /// <summary>Launches the gather on the default stream (asynchronous).</summary>
    /// <param name="ids">Token ids, at least <paramref name="rows"/>; each in <c>[0, table.Rows)</c>.</param>
    /// <param name="table">The max-size table <c>E[vocab, dMax]</c>.</param>
    /// <param name="positions">The max-size position table <c>P[context, dMax]</c>, or null for none.</param>
    /// <param name="y">The output, at least <paramref name="rows"/> × <paramref name="dim"/>.</param>
    /// <param name="rows">Tokens to embed (<c>batch·seq</c>).</param>
    /// <param name="dim">Active width.</param>
    /// <param name="seq">Tokens per sequence: row <c>r</c> has position <c>r mod seq</c> (with positions only; at most
    /// the position table's rows).</param>
    /// <exception cref="ArgumentException">A size is below 1 or beyond its buffer.</exception>
    public void Run(ArrayView<int> ids, DeviceMatrix table, DeviceMatrix? positions, DeviceMatrix y, int rows, int dim, int seq = 1)
    {
        SizeChecks.Positive("rows", rows);
        SizeChecks.Length("ids", rows, ids.Length);
        SizeChecks.Fits("rows", rows, y.Rows, "the output's rows");
        SizeChecks.Fits("dim", dim, y.Columns, "the output's columns");
        SizeChecks.Fits("dim", dim, table.Columns, "the embedding's columns");
        if (positions is { } p)
        {
            SizeChecks.Fits("dim", dim, p.Columns, "the position embedding's columns");
            SizeChecks.Fits("seq", seq, p.Rows, "the position embedding's rows");
        }
        long count = (long)rows * dim;
        var args = new Args
        {
            Count = (int)count, Dim = dim, Vocab = table.Rows, Lde = table.RowStride, Ldy = y.RowStride,
            HasPositions = positions is null ? 0 : 1, Seq = seq, Ldp = positions?.RowStride ?? 0,
        };
        var grid = new Index1D((int)((count + _threads - 1) / _threads));
        _kernel(new KernelConfig(grid, new Index1D(_threads)), ids, table.Data, positions?.Data ?? _placeholder, y.Data, args);
    }

    /// <summary>Bytes one launch moves at least: each output element read once per table and written once.</summary>
    public static double Bytes(int rows, int dim, bool positions) => 4.0 * rows * dim * (positions ? 3 : 2) + 4.0 * rows;

    internal struct Args
    {
        public int Count, Dim, Vocab, Lde, Ldy, HasPositions, Seq, Ldp;
    }

    private static void Kernel(ArrayView<int> ids, ArrayView<float> table, ArrayView<float> positions, ArrayView<float> y, Args a)
    {
        int e = Grid.IdxX * Group.DimX + Group.IdxX;
        if (e >= a.Count)
            return;
        int r = e / a.Dim, j = e % a.Dim;
        int id = ids[r];
        if (id < 0 || id >= a.Vocab)
        {
            y[r * a.Ldy + j] = float.NaN;
            return;
        }
        float value = table[id * a.Lde + j];
        if (a.HasPositions != 0)
            value += positions[(r % a.Seq) * a.Ldp + j];
        y[r * a.Ldy + j] = value;
    }
}
