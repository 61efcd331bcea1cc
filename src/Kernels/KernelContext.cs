using ILGPU;
using ILGPU.Runtime;

namespace SearchSpaceDsl.Kernels;

/// <summary>
/// One ILGPU context and accelerator for the process: CUDA when a GPU is present, otherwise the CPU accelerator
/// (correct but slow; for tests on tiny shapes). Creating a context costs about 130 ms, so share one.
/// </summary>
public sealed class KernelContext : IDisposable
{
    private KernelContext(Context context, Accelerator accelerator)
    {
        Context = context;
        Accelerator = accelerator;
    }

    /// <summary>The ILGPU context, with ILGPU.Algorithms enabled.</summary>
    public Context Context { get; }

    /// <summary>The accelerator kernels run on.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>Whether kernels run on a GPU.</summary>
    public bool IsGpu => Accelerator.AcceleratorType != AcceleratorType.CPU;

    /// <summary>Creates a context on the best device: the first CUDA GPU, unless <paramref name="preferCpu"/> or none exists.</summary>
    public static KernelContext Create(bool preferCpu = false)
    {
        var context = Context.Create(builder => builder.Default().EnableAlgorithms());
        var cuda = preferCpu ? null : context.Devices.FirstOrDefault(d => d.AcceleratorType == AcceleratorType.Cuda);
        var accelerator = cuda is not null
            ? cuda.CreateAccelerator(context)
            : context.GetPreferredDevice(preferCPU: true).CreateAccelerator(context);
        return new KernelContext(context, accelerator);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Accelerator.Name} ({Accelerator.AcceleratorType})";

    /// <inheritdoc />
    public void Dispose()
    {
        Accelerator.Dispose();
        Context.Dispose();
    }
}
