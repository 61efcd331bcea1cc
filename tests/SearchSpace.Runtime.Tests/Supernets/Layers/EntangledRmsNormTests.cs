using SearchSpaceDsl.Supernets;
using TorchSharp;
using static SearchSpaceDsl.Tests.Supernets.EntangledLayerAssert;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets;

public class EntangledRmsNormTests
{
    private const int DimMax = 39;
    private const string Name = "blocks.0.rms_1";
    private const double Eps = 1e-6;

    private static IEnumerable<int> Widths(int seed)
    {
        var random = new Random(seed);
        yield return DimMax;
        yield return 1;
        for (var i = 2; i < Configurations; i++)
            yield return random.Next(1, DimMax + 1);
    }

    private static EntangledRmsNorm CreateRandomized(Generator generator, ScalarType dtype = ScalarType.Float32)
    {
        var layer = new EntangledRmsNorm(Name, DimMax, Eps, dtype: dtype);
        Randomize(layer.Weight, 0.5, 1.5, generator);
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
            var x = randn([2, 3, dim], generator: generator) + 0.3;

            var expected = layer.forward(x);
            using var extracted = layer.Extract();
            var actual = extracted.forward(x);

            Assert.Equal(x.shape, expected.shape);
            Close(expected, actual, Tolerance, $"d={dim}");
        }
    }

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
    public void Active_parameter_count_equals_the_extracted_module_and_the_formula()
    {
        using var layer = new EntangledRmsNorm(Name, DimMax);
        Assert.Equal(DimMax, layer.ActiveParameterCount);

        foreach (var dim in Widths(seed: 3))
        {
            layer.SetActive(dim);
            using var extracted = layer.Extract();

            Assert.Equal(dim, layer.ActiveParameterCount);
            Assert.Equal(ParameterCount(extracted), layer.ActiveParameterCount);
            Assert.Equal(dim, extracted.Dim);
            Assert.Equal(Eps, extracted.Eps);
            Assert.Equal(Name, extracted.GetName());
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

            ProjectionLoss(layer.forward(randn([6, dim], generator: generator)), generator).backward();

            GradientOnlyInPrefix(layer.Weight, $"γ d={dim}", dim);
        }
    }

    [Fact]
    public void SetActive_allocates_nothing()
    {
        using var layer = new EntangledRmsNorm(Name, DimMax);
        var widths = Widths(seed: 5).ToArray();

        AllocatesNothing(i => layer.SetActive(widths[i % widths.Length]));
    }

    [Fact]
    public void Extracted_norm_shares_no_storage_with_the_supernet()
    {
        var generator = new Generator(9);
        using var scope = NewDisposeScope();
        using var layer = CreateRandomized(generator);

        foreach (var dim in new[] { 10, DimMax })
        {
            layer.SetActive(dim);
            var x = randn([2, dim], generator: generator);
            using var extracted = layer.Extract();
            var before = extracted.forward(x);

            Perturb(layer.Weight, 1.0);

            Close(before, extracted.forward(x), 0, "extracted output after the supernet changed");
            Assert.True(MaxAbsDiff(before, layer.forward(x)) > 0.1, "the supernet's own output should change");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(DimMax + 1)]
    public void Out_of_range_widths_throw_naming_the_layer(int dim)
    {
        using var layer = new EntangledRmsNorm(Name, DimMax);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => layer.SetActive(dim));

        NamesLayerAndRange(error, Name, DimMax);
        Assert.Equal(DimMax, layer.ActiveDim);
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

    [Fact]
    public void Extraction_keeps_dtype_and_survives_the_dispose_scope_it_was_made_in()
    {
        EntangledRmsNorm layer;
        RmsNorm extracted;
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
            Assert.Equal(ScalarType.Float64, extracted.Weight.dtype);
            Close(layer.forward(x), extracted.forward(x), 0, "float64");
            Assert.Equal(["weight"], layer.state_dict().Keys);
            Assert.Equal(["weight"], extracted.state_dict().Keys);
        }
    }
}
