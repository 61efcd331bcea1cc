using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;

namespace SearchSpaceDsl.Kernels;

/// <summary>
/// Every kernel of this assembly, each loaded (compiled for the accelerator) once, on first use, and kept: a sub-network
/// changes only the sizes passed as arguments, never the compiled code. One library per accelerator; take it from
/// <see cref="KernelContext.Library"/> or <see cref="For"/>.
/// </summary>
public sealed class KernelLibrary : IDisposable
{
    private static readonly ConditionalWeakTable<Accelerator, KernelLibrary> Libraries = new();

    private readonly MemoryBuffer1D<float, Stride1D.Dense> _placeholder;
    private readonly Lazy<SlicedGemmKernel> _gemm;
    private readonly Lazy<CausalAttentionKernel> _attention;
    private readonly Lazy<LayerNormKernel> _layerNorm;
    private readonly Lazy<ResidualAddKernel> _residualAdd;
    private readonly Lazy<EmbeddingKernel> _embedding;
    private readonly Lazy<CrossEntropyKernel> _crossEntropy;

    private KernelLibrary(Accelerator accelerator, KernelGeometry geometry)
    {
        geometry.Check(accelerator);
        Accelerator = accelerator;
        Geometry = geometry;
        // Kernels take views even for absent operands (no bias, no positions): this one element stands in for them.
        _placeholder = accelerator.Allocate1D<float>(1);
        _placeholder.MemSetToZero();
        var placeholder = _placeholder.View;
        _gemm = new(() => new SlicedGemmKernel(accelerator, placeholder, geometry.GemmSide));
        _attention = new(() => new CausalAttentionKernel(accelerator, geometry.AttentionQueries));
        _layerNorm = new(() => new LayerNormKernel(accelerator, geometry.RowThreads));
        _residualAdd = new(() => new ResidualAddKernel(accelerator, geometry.ElementThreads));
        _embedding = new(() => new EmbeddingKernel(accelerator, placeholder, geometry.ElementThreads));
        _crossEntropy = new(() => new CrossEntropyKernel(accelerator, geometry.RowThreads));
    }

    /// <summary>
    /// The library of <paramref name="accelerator"/>, created on the first call (with the group shapes of
    /// <see cref="KernelGeometry.For"/>) and the same object after.
    /// </summary>
    public static KernelLibrary For(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        return Libraries.GetValue(accelerator, static a => new KernelLibrary(a, KernelGeometry.For(a)));
    }

    /// <summary>
    /// A separate library launching with <paramref name="geometry"/> (e.g. GPU group shapes on a CPU accelerator, to test
    /// them); not cached: dispose it.
    /// </summary>
    /// <exception cref="ArgumentException">A group of <paramref name="geometry"/> does not fit the accelerator.</exception>
    public static KernelLibrary Create(Accelerator accelerator, KernelGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        ArgumentNullException.ThrowIfNull(geometry);
        return new KernelLibrary(accelerator, geometry);
    }

    /// <summary>The group shapes the kernels launch with.</summary>
    public KernelGeometry Geometry { get; }

    /// <summary>The accelerator the kernels are compiled for.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>The sliced GEMM with optional GELU.</summary>
    public SlicedGemmKernel Gemm => _gemm.Value;

    /// <summary>Causal multi-head / grouped-query attention.</summary>
    public CausalAttentionKernel Attention => _attention.Value;

    /// <summary>LayerNorm over the first d features.</summary>
    public LayerNormKernel LayerNorm => _layerNorm.Value;

    /// <summary>The residual add.</summary>
    public ResidualAddKernel ResidualAdd => _residualAdd.Value;

    /// <summary>The embedding gather.</summary>
    public EmbeddingKernel Embedding => _embedding.Value;

    /// <summary>Per-row cross-entropy.</summary>
    public CrossEntropyKernel CrossEntropy => _crossEntropy.Value;

    /// <summary>Loads every kernel now (compilation takes a while on first use; a benchmark does this before timing).</summary>
    public void LoadAll()
    {
        _ = Gemm;
        _ = Attention;
        _ = LayerNorm;
        _ = ResidualAdd;
        _ = Embedding;
        _ = CrossEntropy;
    }

    /// <summary>Frees the placeholder buffer; the compiled kernels belong to the accelerator.</summary>
    public void Dispose()
    {
        if (Libraries.TryGetValue(Accelerator, out var cached) && ReferenceEquals(cached, this))
            Libraries.Remove(Accelerator);
        _placeholder.Dispose();
    }
}
