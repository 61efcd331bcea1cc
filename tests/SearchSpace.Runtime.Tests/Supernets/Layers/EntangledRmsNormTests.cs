using SearchSpaceDsl.Supernets;
using TorchSharp;
using static SearchSpaceDsl.Tests.Supernets.EntangledLayerAssert;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets;

public sealed class EntangledRmsNormTests : EntangledNormTests<EntangledRmsNorm, RmsNorm>
{
    protected override string Name => "blocks.0.rms_1";

    protected override double Eps => 1e-6;

    protected override int ParametersPerFeature => 1;

    protected override string[] StateDictNames => ["weight"];

    protected override EntangledRmsNorm Create() => new(Name, DimMax);

    protected override EntangledRmsNorm CreateRandomized(Generator generator, ScalarType dtype = ScalarType.Float32)
    {
        var layer = new EntangledRmsNorm(Name, DimMax, Eps, dtype: dtype);
        Randomize(layer.Weight, 0.5, 1.5, generator);
        return layer;
    }

    protected override RmsNorm Extract(EntangledRmsNorm layer) => layer.Extract();

    protected override void AssertExtractedSettings(RmsNorm extracted, int dim)
    {
        Assert.Equal(dim, extracted.Dim);
        Assert.Equal(Eps, extracted.Eps);
        Assert.Equal(Name, extracted.GetName());
    }

    protected override void AssertGradientsInPrefix(EntangledRmsNorm layer, int dim) =>
        GradientOnlyInPrefix(layer.Weight, $"γ d={dim}", dim);

    [Fact]
    public void Root_mean_square_is_over_the_active_width_only()
    {
        var generator = new Generator(11);
        using var layer = CreateRandomized(generator);
        const int rows = 4;

        foreach (var dim in Widths(seed: 2))
        {
            using var scope = NewDisposeScope();
            layer.SetActive(dim);
            var x = randn([rows, dim], generator: generator) * 2;

            var actual = ToDoubles(layer.forward(x));

            var input = ToDoubles(x);
            var gamma = ToDoubles(layer.Weight);
            for (var r = 0; r < rows; r++)
            {
                var row = input.AsSpan(r * dim, dim);
                var meanSquare = 0.0;
                foreach (var v in row) meanSquare += v * v;
                meanSquare /= dim;
                for (var j = 0; j < dim; j++)
                {
                    var expected = row[j] / Math.Sqrt(meanSquare + Eps) * gamma[j];
                    Assert.True(Math.Abs(expected - actual[r * dim + j]) <= Tolerance,
                        $"d={dim} [{r},{j}]: expected {expected}, got {actual[r * dim + j]}");
                }
            }
        }
    }

    [Fact]
    public void Dense_RmsNorm_starts_at_unit_scale_and_normalises_half_precision_in_float32()
    {
        using var scope = NewDisposeScope();
        using var norm = new RmsNorm("norm", 6);
        var x = randn([3, 6], generator: new Generator(4)) * 5;

        var y = norm.forward(x);
        var rms = y.square().mean([-1L]).sqrt();
        Close(ones(3), rms, 1e-5, "unit root mean square");
        Assert.Equal(["weight"], norm.state_dict().Keys);

        var half = norm.to(ScalarType.BFloat16);
        var yHalf = half.forward(x.to_type(ScalarType.BFloat16));
        Assert.Equal(ScalarType.BFloat16, yHalf.dtype);
        Close(y, yHalf.to_type(ScalarType.Float32), 2e-2, "bfloat16");
    }
}
