using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;

namespace SearchSpaceDsl.Kernels;

/// <summary>
/// One ILGPU context and accelerator for the process: CUDA when a GPU is present, otherwise the CPU accelerator
/// (correct but slow; for tests on tiny shapes). Creating a context costs about 130 ms, so share one.
/// </summary>
/// <remarks>
/// The CPU accelerator simulates one multiprocessor with <c>cpuGroupSize</c> threads per group (16 by default, as ILGPU's
/// default CPU device), one OS thread each; the kernel library then launches small groups (<see cref="KernelGeometry.For"/>),
/// since every simulated thread and barrier costs real time there.
/// </remarks>
public sealed class KernelContext : IDisposable
{
    private readonly Lazy<KernelLibrary> _library;

    private KernelContext(Context context, Accelerator accelerator)
    {
        Context = context;
        Accelerator = accelerator;
        _library = new Lazy<KernelLibrary>(() => KernelLibrary.For(accelerator));
    }

    /// <summary>The ILGPU context, with ILGPU.Algorithms enabled.</summary>
    public Context Context { get; }

    /// <summary>The accelerator kernels run on.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>The kernels, each loaded once for <see cref="Accelerator"/>.</summary>
    public KernelLibrary Library => _library.Value;

    /// <summary>Whether kernels run on a GPU.</summary>
    public bool IsGpu => Accelerator.AcceleratorType != AcceleratorType.CPU;

    /// <summary>Creates a context on the best device: the first CUDA GPU, unless <paramref name="preferCpu"/> or none exists.</summary>
    /// <param name="preferCpu">Use the CPU accelerator even when a GPU exists.</param>
    /// <param name="cpuGroupSize">Threads per group of the CPU accelerator, a multiple of 4 (256 allows the GPU group shapes).</param>
    public static KernelContext Create(bool preferCpu = false, int cpuGroupSize = 16)
    {
        if (cpuGroupSize < 4 || cpuGroupSize % 4 != 0)
            throw new ArgumentOutOfRangeException(nameof(cpuGroupSize), cpuGroupSize, "The CPU group size must be a positive multiple of 4.");
        var context = Context.Create(builder => builder.Default().EnableAlgorithms());
        var cuda = preferCpu ? null : context.Devices.FirstOrDefault(d => d.AcceleratorType == AcceleratorType.Cuda);
        var accelerator = cuda is not null
            ? cuda.CreateAccelerator(context)
            : new CPUDevice(numThreadsPerWarp: 4, numWarpsPerMultiprocessor: cpuGroupSize / 4, numMultiprocessors: 1)
                .CreateCPUAccelerator(context, CPUAcceleratorMode.Parallel);
        return new KernelContext(context, accelerator);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Accelerator.Name} ({Accelerator.AcceleratorType})";

    /// <inheritdoc />
    public void Dispose()
    {
        if (_library.IsValueCreated)
            _library.Value.Dispose();
        Accelerator.Dispose();
        Context.Dispose();
    }
}
