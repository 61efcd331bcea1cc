using ILGPU;
using ILGPU.Runtime;

namespace SearchSpaceDsl.Kernels.Tests;

[Collection(KernelCollection.Name)]
public sealed class KernelContextTests(KernelContextFixture fixture)
{
    [Fact]
    public void Cpu_context_runs_a_kernel()
    {
        var accelerator = fixture.Kernels.Accelerator;
        Assert.False(fixture.Kernels.IsGpu);
        var kernel = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>>(
            static (i, x, y) => y[i] = 2 * x[i] + 1);
        float[] input = [1, -2, 3.5f, 0, 7];
        using var x = accelerator.Allocate1D(input);
        using var y = accelerator.Allocate1D<float>(input.Length);
        y.MemSetToZero();
        kernel((int)x.Length, x.View, y.View);
        accelerator.Synchronize();
        Assert.Equal(input.Select(v => 2 * v + 1), y.GetAsArray1D());
    }
}
