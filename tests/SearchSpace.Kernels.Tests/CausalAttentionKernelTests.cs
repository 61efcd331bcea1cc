namespace SearchSpaceDsl.Kernels.Tests;

[Collection(KernelCollection.Name)]
public sealed class CausalAttentionKernelTests(KernelContextFixture fixture)
{
    private CausalAttentionKernel Attention => fixture.Kernels.Library.Attention;

    [Theory]
    [InlineData(2, 11, 3, 8, 3, 8, 1)]   // multi-head, one query and key tile
    [InlineData(1, 37, 2, 5, 2, 8, 2)]   // several query tiles and key tiles; the first 5 of every 8 head dims
    [InlineData(2, 9, 4, 6, 2, 6, 3)]    // grouped-query: 4 heads over 2 key/value groups
    [InlineData(1, 1, 1, 1, 1, 1, 4)]
    public void Matches_float64(int batch, int seq, int heads, int headSize, int kvHeads, int headStride, int seed)
    {
        using var data = new DeviceData(fixture.Kernels.Accelerator, seed);
        var shape = new AttentionShape(batch, seq, heads, headSize, kvHeads, headStride);
        int rows = batch * seq;
        // Projection-style inputs: q, k and v are column blocks of one fused buffer (row stride 3 × the widest).
        int width = heads * headStride + 1;
        var (fused, host) = data.RandomMatrix(rows, 3 * width, scale: 2.0);
        var q = fused.SliceColumns(0, width);
        var k = fused.SliceColumns(width, width);
        var v = fused.SliceColumns(2 * width, width);
        var output = data.Poisoned(rows, heads * headStride, stride: heads * headStride + 3);

        Attention.Run(q, k, v, output, shape);

        var expected = References.Attention(host, 3 * width, host[width..], 3 * width, host[(2 * width)..], 3 * width, shape);
        var actual = data.Download(output);
        // Compare only each head's first headSize columns; with a head stride the other columns must stay NaN.
        var dense = new float[rows * heads * headSize];
        for (int r = 0; r < rows; r++)
        for (int h = 0; h < heads; h++)
        for (int j = 0; j < headStride; j++)
        {
            float value = actual[r * output.RowStride + h * headStride + j];
            if (j < headSize)
                dense[(r * heads + h) * headSize + j] = value;
            else
                Assert.True(float.IsNaN(value), $"Column {j} of head {h} lies beyond the head size but was written.");
        }
        Compare.Matrix(dense, heads * headSize, expected, rows, heads * headSize);
    }

    [Fact]
    public void Online_softmax_is_stable_for_large_scores()
    {
        // Scores of several hundred: a naive exp overflows float32; the running maximum keeps it finite.
        using var data = new DeviceData(fixture.Kernels.Accelerator, 7);
        var shape = AttentionShape.MultiHead(1, 40, 1, 4);
        var (q, qHost) = data.RandomMatrix(40, 4, scale: 30);
        var (k, kHost) = data.RandomMatrix(40, 4, scale: 30);
        var (v, vHost) = data.RandomMatrix(40, 4);
        var output = data.Poisoned(40, 4);
        Attention.Run(q, k, v, output, shape);
        var expected = References.Attention(qHost, 4, kHost, 4, vHost, 4, shape);
        Compare.Matrix(data.Download(output), 4, expected, 40, 4);
    }

    [Fact]
    public void Gpu_group_shapes_match_float64_on_a_wide_cpu_device()
    {
        using var wide = KernelContext.Create(preferCpu: true, cpuGroupSize: 256);
        using var library = KernelLibrary.Create(wide.Accelerator, KernelGeometry.Gpu);
        using var data = new DeviceData(wide.Accelerator, 8);
        var shape = new AttentionShape(1, 70, 2, 3, 1, 3); // two query tiles of 64, three key tiles of 32
        var (q, qHost) = data.RandomMatrix(70, 6);
        var (k, kHost) = data.RandomMatrix(70, 3);
        var (v, vHost) = data.RandomMatrix(70, 3);
        var output = data.Poisoned(70, 6);
        library.Attention.Run(q, k, v, output, shape);
        var expected = References.Attention(qHost, 6, kHost, 3, vHost, 3, shape);
        Compare.Matrix(data.Download(output), 6, expected, 70, 6);
    }

    [Fact]
    public void Sizes_beyond_the_inputs_are_clear_errors()
    {
        using var data = new DeviceData(fixture.Kernels.Accelerator, 0);
        var (m, _) = data.RandomMatrix(8, 16);
        var o = data.Poisoned(8, 16);
        var error = Assert.Throws<ArgumentException>(() => Attention.Run(m, m, m, o, AttentionShape.MultiHead(2, 5, 2, 8)));
        Assert.Contains("batch·seq 10 exceeds the query's rows 8", error.Message);
        error = Assert.Throws<ArgumentException>(() => Attention.Run(m, m, m, o, AttentionShape.MultiHead(1, 8, 3, 8)));
        Assert.Contains("query head columns 24 exceeds the query's columns 16", error.Message);
        error = Assert.Throws<ArgumentException>(() => Attention.Run(m, m, m, o, new AttentionShape(1, 8, 3, 4, 2, 4)));
        Assert.Contains("kv heads 2 must divide heads 3", error.Message);
        var (wide, _) = data.RandomMatrix(1, 80);
        var o2 = data.Poisoned(1, 80);
        error = Assert.Throws<ArgumentException>(() => Attention.Run(wide, wide, wide, o2, AttentionShape.MultiHead(1, 1, 1, 65)));
        Assert.Contains("head size 65 exceeds the kernel's maximum head size 64", error.Message);
    }
}
