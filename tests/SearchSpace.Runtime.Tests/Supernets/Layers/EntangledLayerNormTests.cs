using SearchSpaceDsl.Supernets;
using TorchSharp;
using TorchSharp.Modules;
using static SearchSpaceDsl.Tests.Supernets.EntangledLayerAssert;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets;

public class EntangledLayerNormTests
{
    private const int DimMax = 43;
    private const string Name = "blocks.1.ln_2";
    private const double Eps = 1e-5;

    private static IEnumerable<int> Widths(int seed)
    {
        var random = new Random(seed);
        yield return DimMax;
        yield return 1;
        yield return 2;
        for (var i = 3; i < Configurations; i++)
            yield return random.Next(1, DimMax + 1);
    }

    /// <summary>A norm whose γ and β are random, so that reading the wrong entries shows.</summary>
    private static EntangledLayerNorm CreateRandomized(Generator generator, ScalarType dtype = ScalarType.Float32)
    {
        var layer = new EntangledLayerNorm(Name, DimMax, Eps, dtype: dtype);
        Randomize(layer.Weight, 0.5, 1.5, generator);
        Randomize(layer.Bias, -0.5, 0.5, generator);
        return layer;
    }

    [Fact]
    public void Supernet_forward_equals_extracted_forward()
    {
        var generator = new Generator(7);
        using var layer = CreateRandomized(generator);

        foreach (var dim in Widths(seed: 1))
        {
            using var scope = NewDisposeScope();
            layer.SetActive(dim);
            var x = randn([3, 4, dim], generator: generator) * 2 + 0.5;

            var expected = layer.forward(x);
            using var extracted = layer.Extract();
            var actual = extracted.forward(x);

            Assert.Equal(x.shape, expected.shape);
            Close(expected, actual, Tolerance, $"d={dim}");
        }
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
    public void Active_parameter_count_equals_the_extracted_module_and_the_formula()
    {
        using var layer = new EntangledLayerNorm(Name, DimMax);
        Assert.Equal(2L * DimMax, layer.ActiveParameterCount);

        foreach (var dim in Widths(seed: 3))
        {
            layer.SetActive(dim);
            using var extracted = layer.Extract();

            Assert.Equal(2L * dim, layer.ActiveParameterCount);
            Assert.Equal(ParameterCount(extracted), layer.ActiveParameterCount);
            Assert.Equal(new long[] { dim }, extracted.normalized_shape);
            Assert.Equal(Eps, extracted.eps);
        }
    }

    [Fact]
    public void Gradients_land_in_the_active_slice_only()
    {
        var generator = new Generator(5);
        using var layer = CreateRandomized(generator);

        foreach (var dim in Widths(seed: 4))
        {
            using var scope = NewDisposeScope();
            layer.zero_grad();
            layer.SetActive(dim);
            // d = 1 normalises every row to 0, so γ's gradient is zero; its slice is then checked for zero outside only.
            var x = randn([6, dim], generator: generator);

            ProjectionLoss(layer.forward(x), generator).backward();

            if (dim > 1)
                GradientOnlyInPrefix(layer.Weight, $"γ d={dim}", dim);
            GradientOnlyInPrefix(layer.Bias, $"β d={dim}", dim);
        }
    }

    [Fact]
    public void SetActive_allocates_nothing()
    {
        using var layer = new EntangledLayerNorm(Name, DimMax);
        var widths = Widths(seed: 5).ToArray();

        AllocatesNothing(i => layer.SetActive(widths[i % widths.Length]));
    }

    [Fact]
    public void Extracted_norm_shares_no_storage_with_the_supernet()
    {
        var generator = new Generator(9);
        using var scope = NewDisposeScope();
        using var layer = CreateRandomized(generator);

        foreach (var dim in new[] { 12, DimMax })
        {
            layer.SetActive(dim);
            var x = randn([2, dim], generator: generator);
            using var extracted = layer.Extract();
            var before = extracted.forward(x);

            Perturb(layer.Weight, 1.0);
            Perturb(layer.Bias, 1.0);

            Close(before, extracted.forward(x), 0, "extracted output after the supernet changed");
            Assert.True(MaxAbsDiff(before, layer.forward(x)) > 0.5, "the supernet's own output should change");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(DimMax + 1)]
    public void Out_of_range_widths_throw_naming_the_layer(int dim)
    {
        using var layer = new EntangledLayerNorm(Name, DimMax);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => layer.SetActive(dim));

        NamesLayerAndRange(error, Name, DimMax);
        Assert.Equal(DimMax, layer.ActiveDim);
    }

    [Fact]
    public void An_input_of_the_wrong_width_throws_naming_the_layer()
    {
        using var scope = NewDisposeScope();
        using var layer = new EntangledLayerNorm(Name, DimMax);
        layer.SetActive(8);

        var error = Assert.Throws<ArgumentException>(() => layer.forward(zeros(3, DimMax)));

        Assert.Contains($"'{Name}'", error.Message);
    }

    [Fact]
    public void Extraction_keeps_dtype_names_and_survives_the_dispose_scope_it_was_made_in()
    {
        EntangledLayerNorm layer;
        LayerNorm extracted;
        using (NewDisposeScope())
        {
            layer = CreateRandomized(new Generator(1), ScalarType.Float64);
            layer.SetActive(7);
            extracted = layer.Extract();
        }

        using (layer)
        using (extracted)
        using (NewDisposeScope())
        {
            var x = randn([2, 7], dtype: ScalarType.Float64, generator: new Generator(2));
            Assert.Equal(ScalarType.Float64, extracted.weight.dtype);
            Close(layer.forward(x), extracted.forward(x), 1e-12, "float64");
            Assert.Equal(["weight", "bias"], layer.state_dict().Keys);
            Assert.Equal(["weight", "bias"], extracted.state_dict().Keys);
        }
    }
}
