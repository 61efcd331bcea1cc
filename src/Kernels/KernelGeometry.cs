using ILGPU.Runtime;

namespace SearchSpaceDsl.Kernels;

/// <summary>
/// The group shapes kernels launch with. Tile sizes follow from them at run time (shared memory is allocated at the
/// GPU maxima), so the same compiled kernel runs with GPU-sized groups on a GPU and with small groups on ILGPU's CPU
/// accelerator, where every simulated thread is an OS thread and a barrier costs 0.1-1 ms.
/// </summary>
/// <param name="GemmSide">GEMM groups are <c>GemmSide × GemmSide</c> threads, each computing 4 × 4 outputs: tiles of
/// <c>4·GemmSide</c> rows by <c>4·GemmSide</c> outputs; 1 … 16.</param>
/// <param name="AttentionQueries">Queries (threads) per attention group; at least 1.</param>
/// <param name="RowThreads">Threads per row of LayerNorm and cross-entropy; 1 … 256.</param>
/// <param name="ElementThreads">Threads per group of the elementwise kernels (residual add, embedding); at least 1.</param>
public sealed record KernelGeometry(int GemmSide, int AttentionQueries, int RowThreads, int ElementThreads)
{
    /// <summary>The largest GEMM side: shared memory holds tiles of 64 × <see cref="SlicedGemmKernel.TileDepth"/>.</summary>
    public const int MaxGemmSide = 16;

    /// <summary>The largest number of threads per row (the shared partial sums of LayerNorm and cross-entropy).</summary>
    public const int MaxRowThreads = 256;

    /// <summary>GPU groups: 16 × 16 GEMM threads (64 × 64 tiles), 64 queries, 128 threads per row, 256 per elementwise group.</summary>
    public static KernelGeometry Gpu { get; } = new(16, 64, 128, 256);

    /// <summary>The GPU shapes where the accelerator allows 256 threads per group, otherwise the largest that fit.</summary>
    public static KernelGeometry For(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        int max = accelerator.MaxNumThreadsPerGroup;
        int side = 1;
        while (side * 2 <= MaxGemmSide && (side * 2) * (side * 2) <= max)
            side *= 2;
        return new KernelGeometry(side, Math.Min(64, max), Math.Min(128, max), Math.Min(256, max));
    }

    /// <summary>Throws unless every group fits <paramref name="accelerator"/> and the shared-memory maxima.</summary>
    /// <exception cref="ArgumentException">A group is too large or a size is out of range.</exception>
    public void Check(Accelerator accelerator)
    {
        int max = accelerator.MaxNumThreadsPerGroup;
        SizeChecks.Fits("GemmSide", GemmSide, MaxGemmSide, "the shared tiles' maximum side");
        SizeChecks.Fits("GemmSide²", GemmSide * GemmSide, max, "the accelerator's threads per group");
        SizeChecks.Fits("AttentionQueries", AttentionQueries, max, "the accelerator's threads per group");
        SizeChecks.Fits("RowThreads", RowThreads, Math.Min(max, MaxRowThreads), "the threads per row allowed");
        SizeChecks.Fits("ElementThreads", ElementThreads, max, "the accelerator's threads per group");
    }
}
