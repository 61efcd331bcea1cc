using SearchSpaceDsl.Supernets;
using TorchSharp;
using TorchSharp.Modules;
using static SearchSpaceDsl.Tests.Supernets.EntangledLayerAssert;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets;

public sealed class EntangledLayerNormTests : EntangledNormTests<EntangledLayerNorm, LayerNorm>
{
    protected override string Name => "blocks.1.ln_2";

    protected override double Eps => 1e-5;

    protected override int ParametersPerFeature => 2;

    protected override string[] StateDictNames => ["weight", "bias"];

    protected override EntangledLayerNorm Create() => new(Name, DimMax);

    protected override EntangledLayerNorm CreateRandomized(Generator generator, ScalarType dtype = ScalarType.Float32)
    {
        var layer = new EntangledLayerNorm(Name, DimMax, Eps, dtype: dtype);
        Randomize(layer.Weight, 0.5, 1.5, generator);
        Randomize(layer.Bias, -0.5, 0.5, generator);
        return layer;
    }

    protected override LayerNorm Extract(EntangledLayerNorm layer) => layer.Extract();

    protected override void AssertExtractedSettings(LayerNorm extracted, int dim)
    {
        Assert.Equal(new long[] { dim }, extracted.normalized_shape);
        Assert.Equal(Eps, extracted.eps);
    }

    protected override void AssertGradientsInPrefix(EntangledLayerNorm layer, int dim)
    {
        // d = 1 normalises every row to 0, so γ's gradient is zero; its slice is then checked for zero outside only.
        if (dim > 1)
            GradientOnlyInPrefix(layer.Weight, $"γ d={dim}", dim);
        GradientOnlyInPrefix(layer.Bias, $"β d={dim}", dim);
    }

    [Fact]
    public void Statistics_are_over_the_active_width_only()
    {
        var generator = new Generator(11);
        using var layer = CreateRandomized(generator);
        const int rows = 5;

        foreach (var dim in Widths(seed: 2))
        {
            using var scope = NewDisposeScope();
            layer.SetActive(dim);
            var x = randn([rows, dim], generator: generator) * 3 - 1;

            var actual = ToDoubles(layer.forward(x));

            // float64 reference on the d features: biased variance, γ[:d] and β[:d].
            var input = ToDoubles(x);
            var gamma = ToDoubles(layer.Weight);
            var beta = ToDoubles(layer.Bias);
            for (var r = 0; r < rows; r++)
            {
                var row = input.AsSpan(r * dim, dim);
                var mean = 0.0;
                foreach (var v in row) mean += v;
                mean /= dim;
                var variance = 0.0;
                foreach (var v in row) variance += (v - mean) * (v - mean);
                variance /= dim;
                for (var j = 0; j < dim; j++)
                {
                    var expected = (row[j] - mean) / Math.Sqrt(variance + Eps) * gamma[j] + beta[j];
                    Assert.True(Math.Abs(expected - actual[r * dim + j]) <= Tolerance,
                        $"d={dim} [{r},{j}]: expected {expected}, got {actual[r * dim + j]}");
                }
            }
        }
    }

    [Fact]
    public void The_inactive_scales_and_shifts_do_not_matter()
    {
        var generator = new Generator(3);
        using var scope = NewDisposeScope();
        using var layer = CreateRandomized(generator);
        layer.SetActive(17);
        var x = randn([4, 17], generator: generator);
        var before = layer.forward(x);

        using (no_grad())
        {
            layer.Weight.narrow(0, 17, DimMax - 17).fill_(1e6);
            layer.Bias.narrow(0, 17, DimMax - 17).fill_(-1e6);
        }

        Close(before, layer.forward(x), 0, "output after changing γ[17:], β[17:]");
    }

    [Fact]
    public void An_input_of_the_wrong_width_throws_naming_the_layer()
    {
        using var scope = NewDisposeScope();
        using var layer = Create();
        layer.SetActive(8);

        var error = Assert.Throws<ArgumentException>(() => layer.forward(zeros(3, DimMax)));

        Assert.Contains($"'{Name}'", error.Message);
    }
}
