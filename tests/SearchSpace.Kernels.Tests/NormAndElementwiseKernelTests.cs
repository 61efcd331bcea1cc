using ILGPU;
using ILGPU.Runtime;

namespace SearchSpaceDsl.Kernels.Tests;

[Collection(KernelCollection.Name)]
public sealed class NormAndElementwiseKernelTests(KernelContextFixture fixture)
{
    private KernelLibrary Kernels => fixture.Kernels.Library;

    [Theory]
    [InlineData(3, 37, 1)]
    [InlineData(1, 1, 2)]
    [InlineData(5, 40, 3)] // every feature of the max-size γ and β
    public void LayerNorm_over_the_first_features_matches_float64(int rows, int dim, int seed)
    {
        using var data = new DeviceData(fixture.Kernels.Accelerator, seed);
        var (x, xHost) = data.RandomMatrix(rows, dim, stride: dim + 5, scale: 3);
        for (int i = 0; i < xHost.Length; i++)
            xHost[i] += 10; // an offset the two-pass variance must not suffer from
        x.Data.CopyFromCPU(xHost);
        var gammaHost = data.RandomArray(40);
        var betaHost = data.RandomArray(40);
        var y = data.Poisoned(rows, dim, stride: dim + 1);
        Kernels.LayerNorm.Run(x, data.Upload(gammaHost).View, data.Upload(betaHost).View, y, rows, dim);
        var expected = References.LayerNorm(xHost, x.RowStride, gammaHost, betaHost, rows, dim);
        Compare.Matrix(data.Download(y), y.RowStride, expected, rows, dim);
    }

    [Fact]
    public void LayerNorm_runs_in_place()
    {
        using var data = new DeviceData(fixture.Kernels.Accelerator, 4);
        var (x, xHost) = data.RandomMatrix(4, 13);
        var gammaHost = data.RandomArray(16);
        var betaHost = data.RandomArray(16);
        Kernels.LayerNorm.Run(x, data.Upload(gammaHost).View, data.Upload(betaHost).View, x, 4, 13);
        Compare.Matrix(data.Download(x), 13, References.LayerNorm(xHost, 13, gammaHost, betaHost, 4, 13), 4, 13);
    }

    [Fact]
    public void LayerNorm_beyond_the_weights_is_a_clear_error()
    {
        using var data = new DeviceData(fixture.Kernels.Accelerator, 0);
        var (x, _) = data.RandomMatrix(2, 64);
        var gamma = data.Upload(data.RandomArray(48));
        var error = Assert.Throws<ArgumentException>(() => Kernels.LayerNorm.Run(x, gamma.View, gamma.View, x, 2, 50));
        Assert.Contains("dim 50 exceeds the norm's weight features 48", error.Message);
    }

    [Fact]
    public void Residual_add_updates_exactly_the_active_block()
    {
        using var data = new DeviceData(fixture.Kernels.Accelerator, 5);
        int rows = 3, dim = 19;
        var (x, xHost) = data.RandomMatrix(rows, dim, stride: 23);
        var (y, yHost) = data.RandomMatrix(rows, dim, stride: 21);
        Kernels.ResidualAdd.Run(x, y, rows, dim);
        var actual = data.Download(y);
        for (int r = 0; r < rows; r++)
        for (int c = 0; c < 21 && r * 21 + c < actual.Length; c++)
        {
            float expected = c < dim ? yHost[r * 21 + c] + xHost[r * 23 + c] : yHost[r * 21 + c];
            Assert.Equal(expected, actual[r * 21 + c]); // one float add: exact
        }
        Assert.Throws<ArgumentException>(() => Kernels.ResidualAdd.Run(x, y, rows, 24));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Embedding_gathers_the_first_columns(bool positions)
    {
        using var data = new DeviceData(fixture.Kernels.Accelerator, 6);
        int vocab = 11, dimMax = 20, dim = 13, batch = 2, seq = 5, rows = batch * seq;
        var (table, tableHost) = data.RandomMatrix(vocab, dimMax);
        var (positionTable, positionHost) = data.RandomMatrix(7, dimMax);
        var ids = Enumerable.Range(0, rows).Select(_ => data.Random.Next(vocab)).ToArray();
        var y = data.Poisoned(rows, dim, stride: dim + 2);
        Kernels.Embedding.Run(data.Upload(ids).View, table, positions ? positionTable : null, y, rows, dim, seq);
        var expected = new double[rows * dim];
        for (int r = 0; r < rows; r++)
        for (int j = 0; j < dim; j++)
            expected[r * dim + j] = tableHost[ids[r] * dimMax + j] + (positions ? positionHost[(r % seq) * dimMax + j] : 0);
        Compare.Matrix(data.Download(y), y.RowStride, expected, rows, dim);
    }

    [Fact]
    public void Embedding_ids_outside_the_table_give_nan_not_an_out_of_bounds_read()
    {
        using var data = new DeviceData(fixture.Kernels.Accelerator, 7);
        var (table, _) = data.RandomMatrix(5, 4);
        var y = data.Poisoned(3, 4);
        Kernels.Embedding.Run(data.Upload(new[] { 1, 5, -1 }).View, table, null, y, 3, 4);
        var actual = data.Download(y);
        Assert.All(actual[..4], v => Assert.False(float.IsNaN(v)));
        Assert.All(actual[4..], v => Assert.True(float.IsNaN(v)));
        var error = Assert.Throws<ArgumentException>(() => Kernels.Embedding.Run(data.Upload(new[] { 0 }).View, table, table, y, 1, 4, seq: 6));
        Assert.Contains("seq 6 exceeds the position embedding's rows 5", error.Message);
    }

    [Fact]
    public void Cross_entropy_matches_float64()
    {
        using var data = new DeviceData(fixture.Kernels.Accelerator, 8);
        int rows = 6, classes = 29;
        var (logits, host) = data.RandomMatrix(rows, classes, stride: 31, scale: 20);
        var targets = Enumerable.Range(0, rows).Select(_ => data.Random.Next(classes)).ToArray();
        var losses = data.Poisoned(1, rows);
        Kernels.CrossEntropy.Run(logits, data.Upload(targets).View, losses.Data, rows, classes);
        var expected = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            double max = Enumerable.Range(0, classes).Max(c => (double)host[r * 31 + c]);
            double sum = Enumerable.Range(0, classes).Sum(c => Math.Exp(host[r * 31 + c] - max));
            expected[r] = max + Math.Log(sum) - host[r * 31 + targets[r]];
        }
        Compare.Matrix(data.Download(losses), rows, expected, 1, rows);
    }

    [Fact]
    public void Library_loads_each_kernel_once_per_accelerator()
    {
        var library = KernelLibrary.For(fixture.Kernels.Accelerator);
        Assert.Same(fixture.Kernels.Library, library);
        Assert.Same(library.Gemm, library.Gemm);
        Assert.Same(library.Attention, KernelLibrary.For(fixture.Kernels.Accelerator).Attention);
        Assert.Equal(KernelGeometry.For(fixture.Kernels.Accelerator), library.Geometry);
        Assert.Equal(4, library.Geometry.GemmSide); // 16 threads per group on the default CPU device
    }
}
