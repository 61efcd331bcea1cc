using TorchSharp;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets.Gradient;

/// <summary>
/// The synthetic task of <see cref="RegressionModel"/>: <c>y = A₀ x₀ + A₁ x₁</c> for inputs <c>x ~ N(0, I)</c> split in
/// chunks, with <c>rank A₀ = 4</c>, <c>rank A₁ = 2</c> (singular values <see cref="SingularValue"/>) and chunk 2 unused.
/// The best architecture under any positive cost weight is therefore <c>Depth = 2, Width = [4, 2]</c>.
/// </summary>
internal sealed class RegressionTask : IDisposable
{
    public const double SingularValue = 1.5;

    private readonly Tensor _map; // [Outputs, Chunks·Chunk]
    private readonly Generator _generator;

    public RegressionTask(int seed, ScalarType dtype = ScalarType.Float32)
    {
        Dtype = dtype;
        _generator = new Generator((ulong)seed + 1000);
        using var scope = NewDisposeScope();
        var blocks = new[] { LowRank(4), LowRank(2), zeros(RegressionModel.Outputs, RegressionModel.Chunk, dtype: ScalarType.Float64) };
        _map = cat(blocks, 1).to_type(dtype).DetachFromDisposeScope();
    }

    public static RegressionArch Best { get; } = RegressionArch.Parse("Depth=2, Width=[4, 2]");

    public ScalarType Dtype { get; }

    /// <summary>A batch of inputs and targets.</summary>
    public (Tensor Input, Tensor Target) Batch(int size = 64)
    {
        var x = randn([size, RegressionModel.Chunks * RegressionModel.Chunk], dtype: Dtype, generator: _generator);
        return (x, x.matmul(_map.t()));
    }

    public static Tensor Mse(Tensor output, Tensor target) => nn.functional.mse_loss(output, target);

    public void Dispose()
    {
        _map.Dispose();
        _generator.Dispose();
    }

    private Tensor LowRank(int rank)
    {
        var u = linalg.qr(randn([RegressionModel.Outputs, RegressionModel.Outputs], dtype: ScalarType.Float64, generator: _generator)).Q;
        var v = linalg.qr(randn([RegressionModel.Chunk, RegressionModel.Chunk], dtype: ScalarType.Float64, generator: _generator)).Q;
        return u.narrow(1, 0, rank).mul(SingularValue).matmul(v.narrow(1, 0, rank).t());
    }
}
