namespace SearchSpaceDsl.Kernels.Tests;

[Collection(KernelCollection.Name)]
public sealed class SlicedGemmKernelTests(KernelContextFixture fixture)
{
    private SlicedGemmKernel Gemm => fixture.Kernels.Library.Gemm;

    // Ragged sizes (no multiple of any tile) read from larger max-size weights, strided input and output.
    [Theory]
    [InlineData(5, 37, 23, true, false, 1)]
    [InlineData(5, 37, 23, false, false, 2)]
    [InlineData(7, 19, 33, true, true, 3)]
    [InlineData(1, 1, 1, false, true, 4)]
    [InlineData(17, 40, 50, true, false, 5)] // the whole weight: several row and output tiles, three reduction steps
    public void Prefix_slice_matches_float64(int rows, int inFeatures, int outFeatures, bool bias, bool gelu, int seed)
    {
        using var data = new DeviceData(fixture.Kernels.Accelerator, seed);
        var (x, xHost) = data.RandomMatrix(rows, inFeatures, stride: inFeatures + 3);
        var (w, wHost) = data.RandomMatrix(50, 40);             // W[outMax 50, inMax 40]
        var bHost = data.RandomArray(50);
        var b = data.Upload(bHost);
        var y = data.Poisoned(rows, outFeatures, stride: outFeatures + 2);

        Gemm.Run(x, w, bias ? b.View : null, y, rows, inFeatures, outFeatures, gelu);

        var expected = References.Linear(xHost, x.RowStride, wHost, 40, bias ? bHost : null, rows, inFeatures, outFeatures, gelu);
        Compare.Matrix(data.Download(y), y.RowStride, expected, rows, outFeatures);
    }

    [Fact]
    public void Head_blocks_read_the_first_dims_of_each_head_in_place()
    {
        // Query projection of 3 heads of size 5 out of heads of 8 (rows 0-4, 8-12, 16-20 of W[32, 24]), then the
        // output projection over the same strided columns.
        using var data = new DeviceData(fixture.Kernels.Accelerator, 11);
        int rows = 6, dim = 21, heads = 3, hs = 5, hsMax = 8;
        var blocks = IndexBlocks.Heads(hs, hsMax);
        var (x, xHost) = data.RandomMatrix(rows, dim);
        var (wq, wqHost) = data.RandomMatrix(4 * hsMax, 24);
        var bqHost = data.RandomArray(4 * hsMax);
        var bq = data.Upload(bqHost);
        var q = data.Poisoned(rows, heads * hs);
        Gemm.Run(x, wq, bq.View, q, rows, dim, heads * hs, outBlocks: blocks);
        var expectedQ = References.Linear(xHost, dim, wqHost, 24, bqHost, rows, dim, heads * hs, outBlocks: blocks);
        var qHost = data.Download(q);
        Compare.Matrix(qHost, heads * hs, expectedQ, rows, heads * hs);

        var (wo, woHost) = data.RandomMatrix(24, 4 * hsMax);
        var o = data.Poisoned(rows, dim);
        Gemm.Run(q, wo, null, o, rows, heads * hs, dim, inBlocks: blocks);
        var expectedO = References.Linear(qHost, heads * hs, woHost, 4 * hsMax, null, rows, heads * hs, dim, inBlocks: blocks);
        Compare.Matrix(data.Download(o), dim, expectedO, rows, dim);
    }

    [Fact]
    public void Gpu_group_shapes_match_float64_on_a_wide_cpu_device()
    {
        // The 16 × 16 groups and 64 × 64 tiles a GPU launches, simulated on a CPU device with 256 threads per group.
        using var wide = KernelContext.Create(preferCpu: true, cpuGroupSize: 256);
        using var library = KernelLibrary.Create(wide.Accelerator, KernelGeometry.Gpu);
        using var data = new DeviceData(wide.Accelerator, 21);
        int rows = 5, inFeatures = 37, outFeatures = 23;
        var (x, xHost) = data.RandomMatrix(rows, inFeatures);
        var (w, wHost) = data.RandomMatrix(30, 40);
        var bHost = data.RandomArray(30);
        var b = data.Upload(bHost);
        var y = data.Poisoned(rows, outFeatures);
        library.Gemm.Run(x, w, b.View, y, rows, inFeatures, outFeatures, gelu: true);
        var expected = References.Linear(xHost, inFeatures, wHost, 40, bHost, rows, inFeatures, outFeatures, gelu: true);
        Compare.Matrix(data.Download(y), outFeatures, expected, rows, outFeatures);
    }

    [Fact]
    public void Sizes_beyond_the_weight_are_clear_errors()
    {
        using var data = new DeviceData(fixture.Kernels.Accelerator, 0);
        var (x, _) = data.RandomMatrix(4, 64);
        var (w, _) = data.RandomMatrix(16, 32);
        var b = data.Upload(data.RandomArray(8));
        var y = data.Poisoned(4, 64);

        var error = Assert.Throws<ArgumentException>(() => Gemm.Run(x, w, null, y, 4, 32, 20));
        Assert.Contains("out 20 exceeds the weight's rows 16", error.Message);
        error = Assert.Throws<ArgumentException>(() => Gemm.Run(x, w, null, y, 4, 33, 16));
        Assert.Contains("in 33 exceeds the weight's columns 32", error.Message);
        error = Assert.Throws<ArgumentException>(() => Gemm.Run(x, w, null, y, 5, 32, 16));
        Assert.Contains("rows 5 exceeds the input's rows 4", error.Message);
        error = Assert.Throws<ArgumentException>(() => Gemm.Run(x, w, b.View, y, 4, 32, 16));
        Assert.Contains("bias needs 16 elements", error.Message);
        error = Assert.Throws<ArgumentException>(() => Gemm.Run(x, w, null, y, 4, 32, 9, outBlocks: IndexBlocks.Heads(3, 8)));
        Assert.Contains("out 9 in blocks of 3 every 8 reaches index 18, beyond the weight's rows 16", error.Message);
        Assert.Throws<ArgumentException>(() => Gemm.Run(x, w, null, y, 0, 32, 16));
    }
}
