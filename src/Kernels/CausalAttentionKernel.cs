using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;

namespace SearchSpaceDsl.Kernels;

/// <summary>
/// Causal multi-head (or grouped-query) scaled dot-product attention, <c>softmax(q·kᵀ/√hs + causal mask)·v</c> per
/// head, over the first <c>h</c> heads and the first <c>hs</c> dimensions of each, read in place from projection
/// outputs with strides (BRIEF section 3).
/// </summary>
/// <remarks>
/// One group of <see cref="KernelGeometry.AttentionQueries"/> threads (64 on a GPU) per (query tile, head, sequence); each thread owns one query, holding it
/// (pre-scaled by 1/√hs) and its output accumulator in local memory. Keys and values advance in tiles of
/// <see cref="KeyTile"/> staged in shared memory between two barriers, and only up to the tile's last query (causal).
/// The softmax is online (numerically stable): a running maximum <c>m</c> and sum <c>l</c>, rescaling the accumulator by
/// <c>exp(m_old − m_new)</c> once per key tile, all in float32. Head dimensions loop to the compile-time
/// <see cref="MaxHeadSize"/> with zero padding so that the loops have constant trip counts.
/// </remarks>
public sealed class CausalAttentionKernel
{
    /// <summary>Keys and values staged in shared memory at a time.</summary>
    public const int KeyTile = 32;

    /// <summary>The largest head size the kernel supports.</summary>
    public const int MaxHeadSize = 64;

    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, Args> _kernel;

    private readonly int _queries;

    internal CausalAttentionKernel(Accelerator accelerator, int queries)
    {
        _queries = queries;
        _kernel = accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, Args>(Kernel);
    }

    /// <summary>
    /// Launches attention on the default stream (asynchronous): output head <c>i</c> of token <c>(b, t)</c> is the
    /// softmax-weighted sum of the values of tokens <c>(b, 0 … t)</c>.
    /// </summary>
    /// <param name="query">Queries, <c>Batch·Seq</c> rows spanning <see cref="AttentionShape.QueryColumns"/>.</param>
    /// <param name="key">Keys, <c>Batch·Seq</c> rows spanning <see cref="AttentionShape.KvColumns"/>.</param>
    /// <param name="value">Values, like the keys.</param>
    /// <param name="output">The result, like the queries; may not overlap the inputs.</param>
    /// <param name="shape">The sizes.</param>
    /// <exception cref="ArgumentException">A size is below 1, beyond <see cref="MaxHeadSize"/> or beyond a matrix, or the
    /// key/value heads do not divide the query heads.</exception>
    public void Run(DeviceMatrix query, DeviceMatrix key, DeviceMatrix value, DeviceMatrix output, AttentionShape shape)
    {
        SizeChecks.Positive("batch", shape.Batch);
        SizeChecks.Positive("seq", shape.Seq);
        SizeChecks.Positive("heads", shape.Heads);
        SizeChecks.Fits("head size", shape.HeadSize, MaxHeadSize, "the kernel's maximum head size");
        SizeChecks.Fits("kv heads", shape.KvHeads, shape.Heads, "the query heads");
        if (shape.Heads % shape.KvHeads != 0)
            throw new ArgumentException(
                $"kv heads {shape.KvHeads} must divide heads {shape.Heads} (grouped-query attention).", nameof(shape));
        if (shape.HeadStride < shape.HeadSize)
            throw new ArgumentException($"head stride {shape.HeadStride} is below head size {shape.HeadSize}.", nameof(shape));
        long tokens = (long)shape.Batch * shape.Seq;
        SizeChecks.Fits("batch·seq", (int)Math.Min(tokens, int.MaxValue), query.Rows, "the query's rows");
        SizeChecks.Fits("batch·seq", (int)Math.Min(tokens, int.MaxValue), key.Rows, "the key's rows");
        SizeChecks.Fits("batch·seq", (int)Math.Min(tokens, int.MaxValue), value.Rows, "the value's rows");
        SizeChecks.Fits("batch·seq", (int)Math.Min(tokens, int.MaxValue), output.Rows, "the output's rows");
        SizeChecks.Fits("query head columns", shape.QueryColumns, query.Columns, "the query's columns");
        SizeChecks.Fits("key head columns", shape.KvColumns, key.Columns, "the key's columns");
        SizeChecks.Fits("value head columns", shape.KvColumns, value.Columns, "the value's columns");
        SizeChecks.Fits("output head columns", shape.QueryColumns, output.Columns, "the output's columns");

        var args = new Args
        {
            Seq = shape.Seq, HeadSize = shape.HeadSize, HeadsPerGroup = shape.Heads / shape.KvHeads,
            HeadStride = shape.HeadStride, QLd = query.RowStride, KLd = key.RowStride, VLd = value.RowStride,
            OLd = output.RowStride, Scale = 1f / MathF.Sqrt(shape.HeadSize),
        };
        var grid = new Index3D((shape.Seq + _queries - 1) / _queries, shape.Heads, shape.Batch);
        _kernel(new KernelConfig(grid, new Index3D(_queries, 1, 1)), query.Data, key.Data, value.Data, output.Data, args);
    }

    /// <summary>
    /// Floating-point operations of one launch over the causal half: <c>4·hs</c> per (query, visible key) pair for the
    /// scores and the weighted values.
    /// </summary>
    public static double Flops(AttentionShape shape) =>
        4.0 * shape.HeadSize * shape.Batch * shape.Heads * (shape.Seq * (shape.Seq + 1.0) / 2);

    internal struct Args
    {
        public int Seq, HeadSize, HeadsPerGroup, HeadStride, QLd, KLd, VLd, OLd;
        public float Scale;
    }

    private static void Kernel(ArrayView<float> q, ArrayView<float> k, ArrayView<float> v, ArrayView<float> o, Args a)
    {
        var ks = SharedMemory.Allocate<float>(KeyTile * MaxHeadSize);
        var vs = SharedMemory.Allocate<float>(KeyTile * MaxHeadSize);
        var query = LocalMemory.Allocate<float>(MaxHeadSize);
        var acc = LocalMemory.Allocate<float>(MaxHeadSize);
        var scores = LocalMemory.Allocate<float>(KeyTile);

        int tid = Group.IdxX, queries = Group.DimX;
        int tile = Grid.IdxX, head = Grid.IdxY, b = Grid.IdxZ;
        int kvHead = head / a.HeadsPerGroup;
        int t = tile * queries + tid;
        bool active = t < a.Seq;
        int rowBase = b * a.Seq;

        int qBase = (rowBase + t) * a.QLd + head * a.HeadStride;
        for (int d = 0; d < MaxHeadSize; d++)
        {
            query[d] = active && d < a.HeadSize ? q[qBase + d] * a.Scale : 0f;
            acc[d] = 0f;
        }

        float m = float.NegativeInfinity, l = 0f;
        int keyEnd = XMath.Min(a.Seq, tile * queries + queries); // causal: no key beyond the tile's last query
        for (int k0 = 0; k0 < keyEnd; k0 += KeyTile)
        {
            for (int e = tid; e < KeyTile * MaxHeadSize; e += queries)
            {
                int j = e / MaxHeadSize, d = e % MaxHeadSize;
                int key = k0 + j;
                bool inside = key < keyEnd && d < a.HeadSize;
                int row = rowBase + key;
                ks[e] = inside ? k[row * a.KLd + kvHead * a.HeadStride + d] : 0f;
                vs[e] = inside ? v[row * a.VLd + kvHead * a.HeadStride + d] : 0f;
            }
            Group.Barrier();

            int visible = active ? XMath.Min(KeyTile, t - k0 + 1) : 0; // keys k0 … t of this tile
            if (visible > 0)
            {
                float tileMax = float.NegativeInfinity;
                for (int j = 0; j < visible; j++)
                {
                    float dot = 0f;
                    for (int d = 0; d < MaxHeadSize; d++)
                        dot += query[d] * ks[j * MaxHeadSize + d];
                    scores[j] = dot;
                    tileMax = XMath.Max(tileMax, dot);
                }
                float mNew = XMath.Max(m, tileMax);
                float correction = XMath.Exp(m - mNew); // 0 on the first tile (m = −∞)
                l *= correction;
                for (int d = 0; d < MaxHeadSize; d++)
                    acc[d] *= correction;
                for (int j = 0; j < visible; j++)
                {
                    float p = XMath.Exp(scores[j] - mNew);
                    l += p;
                    for (int d = 0; d < MaxHeadSize; d++)
                        acc[d] += p * vs[j * MaxHeadSize + d];
                }
                m = mNew;
            }
            Group.Barrier();
        }

        if (!active)
            return;
        float inverse = 1f / l;
        int oBase = (rowBase + t) * a.OLd + head * a.HeadStride;
        for (int d = 0; d < a.HeadSize; d++)
            o[oBase + d] = acc[d] * inverse;
    }
}
