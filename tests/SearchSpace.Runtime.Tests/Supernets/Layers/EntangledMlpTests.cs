using SearchSpaceDsl.Supernets;
using TorchSharp;
using static SearchSpaceDsl.Tests.Supernets.EntangledLayerAssert;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets;

public class EntangledMlpTests
{
    private const int DimMax = 27;
    private const int HiddenMax = 61;
    private const string Name = "blocks.2.mlp";

    private readonly record struct Config(int Dim, int Hidden, bool Bias);

    private static IEnumerable<Config> Configs(int seed) =>
        SizesAndBias(seed, DimMax, HiddenMax).Select(c => new Config(c.First, c.Second, c.Bias));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Supernet_forward_equals_extracted_forward(bool hasBias)
    {
        using var layer = new EntangledMlp(Name, DimMax, HiddenMax, hasBias);
        var generator = new Generator(7);

        foreach (var config in Configs(seed: 1))
        {
            using var scope = NewDisposeScope();
            layer.SetActive(config.Dim, config.Hidden, config.Bias);
            var x = randn([2, 5, config.Dim], generator: generator);

            var expected = layer.forward(x);
            using var extracted = layer.Extract();
            var actual = extracted.forward(x);

            Assert.Equal(x.shape, expected.shape);
            Close(expected, actual, Tolerance, config.ToString());
        }
    }

    [Fact]
    public void Forward_is_fc2_of_exact_gelu_of_fc1_on_the_slices()
    {
        using var scope = NewDisposeScope();
        using var layer = new EntangledMlp(Name, DimMax, HiddenMax, hasBias: true);
        layer.SetActive(9, 20);
        var x = randn([4, 9], generator: new Generator(3));

        var w1 = layer.Fc1.Weight.narrow(0, 0, 20).narrow(1, 0, 9);
        var b1 = layer.Fc1.Bias!.narrow(0, 0, 20);
        var w2 = layer.Fc2.Weight.narrow(0, 0, 9).narrow(1, 0, 20);
        var b2 = layer.Fc2.Bias!.narrow(0, 0, 9);
        var h = x.matmul(w1.t()) + b1;
        var gelu = 0.5 * h * (1 + (h / Math.Sqrt(2)).erf()); // the erf form, not the tanh approximation
        var expected = gelu.matmul(w2.t()) + b2;

        Close(expected, layer.forward(x), 1e-5, "manual MLP");
    }

    [Fact]
    public void Active_parameter_count_equals_the_extracted_module_and_the_formula()
    {
        using var layer = new EntangledMlp(Name, DimMax, HiddenMax, hasBias: true);
        Assert.Equal(2L * DimMax * HiddenMax + HiddenMax + DimMax, layer.ActiveParameterCount);

        foreach (var config in Configs(seed: 2))
        {
            layer.SetActive(config.Dim, config.Hidden, config.Bias);
            using var extracted = layer.Extract();

            var formula = 2L * config.Dim * config.Hidden + (config.Bias ? config.Hidden + config.Dim : 0);
            Assert.Equal(formula, layer.ActiveParameterCount);
            Assert.Equal(ParameterCount(extracted), layer.ActiveParameterCount);
            Assert.Equal(config.Dim, extracted.Dim);
            Assert.Equal(config.Hidden, extracted.Hidden);
        }
    }

    [Fact]
    public void State_dict_names_of_supernet_and_extracted_module_match()
    {
        using var layer = new EntangledMlp(Name, DimMax, HiddenMax, hasBias: true);
        layer.SetActive(5, 11);
        using var extracted = layer.Extract();
        string[] names = ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"];

        Assert.Equal(names, layer.state_dict().Keys);
        Assert.Equal(names, extracted.state_dict().Keys);
        Assert.Equal(Name, extracted.GetName());

        using var scope = NewDisposeScope();
        var state = extracted.state_dict();
        Assert.Equal(new long[] { 11, 5 }, state["fc1.weight"].shape);
        Assert.Equal(new long[] { 11 }, state["fc1.bias"].shape);
        Assert.Equal(new long[] { 5, 11 }, state["fc2.weight"].shape);
        Assert.Equal(new long[] { 5 }, state["fc2.bias"].shape);

        layer.SetActive(5, 11, useBias: false);
        using var withoutBias = layer.Extract();
        Assert.Equal(["fc1.weight", "fc2.weight"], withoutBias.state_dict().Keys);
    }

    [Fact]
    public void Gradients_land_in_the_active_slices_only()
    {
        using var layer = new EntangledMlp(Name, DimMax, HiddenMax, hasBias: true);
        var generator = new Generator(5);

        foreach (var config in Configs(seed: 4))
        {
            using var scope = NewDisposeScope();
            layer.zero_grad();
            layer.SetActive(config.Dim, config.Hidden, config.Bias);
            var x = randn([6, config.Dim], generator: generator);

            ProjectionLoss(layer.forward(x), generator).backward();

            GradientOnlyInPrefix(layer.Fc1.Weight, $"fc1.weight {config}", config.Hidden, config.Dim);
            GradientOnlyInPrefix(layer.Fc2.Weight, $"fc2.weight {config}", config.Dim, config.Hidden);
            if (config.Bias)
            {
                GradientOnlyInPrefix(layer.Fc1.Bias!, $"fc1.bias {config}", config.Hidden);
                GradientOnlyInPrefix(layer.Fc2.Bias!, $"fc2.bias {config}", config.Dim);
            }
            else
            {
                NoGradient(layer.Fc1.Bias!, $"fc1.bias {config}");
                NoGradient(layer.Fc2.Bias!, $"fc2.bias {config}");
            }
        }
    }

    [Fact]
    public void SetActive_allocates_nothing()
    {
        using var layer = new EntangledMlp(Name, DimMax, HiddenMax, hasBias: true);
        var configs = Configs(seed: 5).ToArray();

        AllocatesNothing(i =>
        {
            var config = configs[i % configs.Length];
            layer.SetActive(config.Dim, config.Hidden, config.Bias);
        });
    }

    [Fact]
    public void Extracted_mlp_shares_no_storage_with_the_supernet()
    {
        using var scope = NewDisposeScope();
        using var layer = new EntangledMlp(Name, DimMax, HiddenMax, hasBias: true);

        foreach (var (dim, hidden) in new[] { (8, 19), (DimMax, HiddenMax) })
        {
            layer.SetActive(dim, hidden);
            var x = randn([3, dim], generator: new Generator(9));
            using var extracted = layer.Extract();
            SharesNoStorage(layer, extracted, x, amount: 0.5, minimumChange: 0.1);
        }
    }

    [Theory]
    [InlineData(0, 5, "dim", DimMax)]
    [InlineData(DimMax + 1, 5, "dim", DimMax)]
    [InlineData(5, 0, "hidden", HiddenMax)]
    [InlineData(5, HiddenMax + 1, "hidden", HiddenMax)]
    public void Out_of_range_sizes_throw_naming_the_mlp_and_change_nothing(int dim, int hidden, string parameter, int max)
    {
        using var layer = new EntangledMlp(Name, DimMax, HiddenMax, hasBias: true);
        layer.SetActive(3, 4);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => layer.SetActive(dim, hidden));

        Assert.Equal(parameter, error.ParamName);
        NamesLayerAndRange(error, Name, max);
        Assert.Equal((3, 4), (layer.ActiveDim, layer.ActiveHidden));
        Assert.Equal((3, 4, 4, 3), (layer.Fc1.ActiveIn, layer.Fc1.ActiveOut, layer.Fc2.ActiveIn, layer.Fc2.ActiveOut));
    }

    [Fact]
    public void Dense_Mlp_rejects_layers_that_do_not_chain()
    {
        var error = Assert.Throws<ArgumentException>(() => new Mlp("m", nn.Linear(4, 8), nn.Linear(7, 4)));

        Assert.Contains("'m'", error.Message);
    }

    [Fact]
    public void Extraction_survives_the_dispose_scope_it_was_made_in()
    {
        EntangledMlp layer;
        Mlp extracted;
        using (NewDisposeScope())
        {
            layer = new EntangledMlp(Name, DimMax, HiddenMax, hasBias: true, dtype: ScalarType.Float64);
            layer.SetActive(6, 13);
            extracted = layer.Extract();
        }

        using (layer)
        using (extracted)
        using (NewDisposeScope())
        {
            var x = randn([2, 6], dtype: ScalarType.Float64, generator: new Generator(2));
            Close(layer.forward(x), extracted.forward(x), 1e-12, "float64");
            Assert.Equal(4, extracted.parameters().Count());
        }
    }
}
