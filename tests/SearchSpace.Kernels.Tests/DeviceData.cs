using ILGPU;
using ILGPU.Runtime;

namespace SearchSpaceDsl.Kernels.Tests;

/// <summary>
/// Buffers for one kernel test on the shared accelerator: random inputs, NaN-poisoned outputs (an element a kernel
/// fails to write stays NaN and fails the comparison), read-back. Disposes everything it allocated.
/// </summary>
internal sealed class DeviceData(Accelerator accelerator, int seed) : IDisposable
{
    private readonly List<IDisposable> _buffers = [];

    public Random Random { get; } = new(seed);

    public Accelerator Accelerator => accelerator;

    /// <summary>Uniform values in [−scale, scale].</summary>
    public float[] RandomArray(long length, double scale = 1.0)
    {
        var values = new float[length];
        for (long i = 0; i < length; i++)
            values[i] = (float)((Random.NextDouble() * 2 - 1) * scale);
        return values;
    }

    public MemoryBuffer1D<float, Stride1D.Dense> Upload(float[] values)
    {
        var buffer = accelerator.Allocate1D(values);
        _buffers.Add(buffer);
        return buffer;
    }

    public MemoryBuffer1D<int, Stride1D.Dense> Upload(int[] values)
    {
        var buffer = accelerator.Allocate1D(values);
        _buffers.Add(buffer);
        return buffer;
    }

    /// <summary>A random matrix in a buffer with row stride <paramref name="stride"/> (the padding random too).</summary>
    public (DeviceMatrix Matrix, float[] Host) RandomMatrix(int rows, int columns, int stride = 0, double scale = 1.0)
    {
        stride = stride == 0 ? columns : stride;
        var host = RandomArray((long)rows * stride, scale);
        return (new DeviceMatrix(Upload(host).View, rows, columns, stride), host);
    }

    /// <summary>An output matrix whose every element (padding included) is NaN.</summary>
    public DeviceMatrix Poisoned(int rows, int columns, int stride = 0)
    {
        stride = stride == 0 ? columns : stride;
        var host = new float[(long)rows * stride];
        Array.Fill(host, float.NaN);
        return new DeviceMatrix(Upload(host).View, rows, columns, stride);
    }

    public float[] Download(DeviceMatrix matrix)
    {
        accelerator.Synchronize();
        var host = new float[(long)(matrix.Rows - 1) * matrix.RowStride + matrix.Columns];
        matrix.Data.SubView(0, host.Length).CopyToCPU(host);
        return host;
    }

    public float[] Download(ArrayView<float> view)
    {
        accelerator.Synchronize();
        var host = new float[view.Length];
        view.CopyToCPU(host);
        return host;
    }

    public void Dispose()
    {
        foreach (var buffer in _buffers)
            buffer.Dispose();
    }
}
