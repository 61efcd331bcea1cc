using SearchSpaceDsl.Supernets;
using TorchSharp;
using TorchSharp.Modules;
using static SearchSpaceDsl.Tests.Supernets.EntangledLayerAssert;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets;

public class EntangledLinearTests
{
    private const int InMax = 37;
    private const int OutMax = 29;
    private const string Name = "blocks.3.attn.proj";

    private readonly record struct Config(int In, int Out, bool Bias);

    /// <summary>The largest, the smallest, then random (mostly odd, non-power-of-two) sizes, bias on and off.</summary>
    private static IEnumerable<Config> Configs(int seed) =>
        SizesAndBias(seed, InMax, OutMax).Select(c => new Config(c.First, c.Second, c.Bias));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Supernet_forward_equals_extracted_forward(bool hasBias)
    {
        using var layer = new EntangledLinear(Name, InMax, OutMax, hasBias);
        var generator = new Generator(7);

        foreach (var config in Configs(seed: 1))
        {
            using var scope = NewDisposeScope();
            layer.SetActive(config.In, config.Out, config.Bias);
            // 2-D and 3-D inputs: linear maps the last dimension.
            var x = config.In % 2 == 0 ? randn([5, config.In], generator: generator) : randn([2, 3, config.In], generator: generator);

            var expected = layer.forward(x);
            using var extracted = layer.Extract();
            var actual = extracted.forward(x);

            Assert.Equal(x.shape[..^1].Append(config.Out).ToArray(), expected.shape);
            Close(expected, actual, Tolerance, config.ToString());
        }
    }

    [Fact]
    public void Full_size_forward_is_a_plain_linear_with_the_max_weights()
    {
        using var scope = NewDisposeScope();
        using var layer = new EntangledLinear(Name, InMax, OutMax, hasBias: true);
        var x = randn([4, InMax], generator: new Generator(3));

        Close(nn.functional.linear(x, layer.Weight, layer.Bias), layer.forward(x), 0, "full size");
    }

    [Fact]
    public void Active_parameter_count_equals_the_extracted_module_and_the_formula()
    {
        using var layer = new EntangledLinear(Name, InMax, OutMax, hasBias: true);
        using var noBias = new EntangledLinear("no-bias", InMax, OutMax, hasBias: false);
        Assert.Equal((long)InMax * OutMax + OutMax, layer.ActiveParameterCount); // the initial state is the largest

        foreach (var config in Configs(seed: 2))
        {
            layer.SetActive(config.In, config.Out, config.Bias);
            noBias.SetActive(config.In, config.Out, config.Bias);
            using var extracted = layer.Extract();
            using var extractedNoBias = noBias.Extract();

            Assert.Equal((long)config.In * config.Out + (config.Bias ? config.Out : 0), layer.ActiveParameterCount);
            Assert.Equal(ParameterCount(extracted), layer.ActiveParameterCount);
            Assert.Equal((long)config.In * config.Out, noBias.ActiveParameterCount);
            Assert.Equal(ParameterCount(extractedNoBias), noBias.ActiveParameterCount);
        }
    }

    [Fact]
    public void Extracted_linear_has_exactly_the_active_shapes_and_copies_of_the_slice()
    {
        using var layer = new EntangledLinear(Name, InMax, OutMax, hasBias: true);

        foreach (var config in Configs(seed: 3))
        {
            using var scope = NewDisposeScope();
            layer.SetActive(config.In, config.Out, config.Bias);
            using var extracted = layer.Extract();

            Assert.Equal(new long[] { config.Out, config.In }, extracted.weight.shape);
            Assert.True(extracted.weight.is_contiguous());
            Assert.Equal(config.In, extracted.in_features);
            Assert.Equal(config.Out, extracted.out_features);
            Assert.True(extracted.weight.requires_grad);
            Close(layer.Weight.narrow(0, 0, config.Out).narrow(1, 0, config.In), extracted.weight, 0, "weight");
            if (config.Bias)
            {
                Assert.Equal(new long[] { config.Out }, extracted.bias!.shape);
                Close(layer.Bias!.narrow(0, 0, config.Out), extracted.bias, 0, "bias");
            }
            else
            {
                Assert.Null(extracted.bias);
                Assert.Equal(["weight"], extracted.state_dict().Keys);
            }
        }
    }

    [Fact]
    public void Gradients_land_in_the_active_slice_only()
    {
        using var layer = new EntangledLinear(Name, InMax, OutMax, hasBias: true);
        var generator = new Generator(5);

        foreach (var config in Configs(seed: 4))
        {
            using var scope = NewDisposeScope();
            layer.zero_grad();
            layer.SetActive(config.In, config.Out, config.Bias);
            var x = randn([6, config.In], generator: generator);

            ProjectionLoss(layer.forward(x), generator).backward();

            GradientOnlyInPrefix(layer.Weight, $"weight {config}", config.Out, config.In);
            if (config.Bias)
                GradientOnlyInPrefix(layer.Bias!, $"bias {config}", config.Out);
            else
                NoGradient(layer.Bias!, $"bias {config}");
        }
    }

    [Fact]
    public void SetActive_allocates_nothing()
    {
        using var layer = new EntangledLinear(Name, InMax, OutMax, hasBias: true);
        var configs = Configs(seed: 5).ToArray();

        AllocatesNothing(i =>
        {
            var config = configs[i % configs.Length];
            layer.SetActive(config.In, config.Out, config.Bias);
        });
    }

    [Fact]
    public void Extracted_linear_shares_no_storage_with_the_supernet()
    {
        using var scope = NewDisposeScope();
        using var layer = new EntangledLinear(Name, InMax, OutMax, hasBias: true);
        foreach (var (inFeatures, outFeatures) in new[] { (11, 7), (InMax, OutMax) }) // a strided slice and the whole
        {
            var x = randn([3, inFeatures], generator: new Generator(9));
            layer.SetActive(inFeatures, outFeatures);
            using var extracted = layer.Extract();
            SharesNoStorage(layer, extracted, x, amount: 1.0, minimumChange: 0.5); // moves the weight and the bias
        }
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(-1, 5)]
    [InlineData(InMax + 1, 5)]
    [InlineData(5, 0)]
    [InlineData(5, OutMax + 1)]
    public void Out_of_range_sizes_throw_naming_the_layer_and_leave_the_state_alone(int inFeatures, int outFeatures)
    {
        using var layer = new EntangledLinear(Name, InMax, OutMax, hasBias: true);
        layer.SetActive(3, 4);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => layer.SetActive(inFeatures, outFeatures));

        var badIn = inFeatures < 1 || inFeatures > InMax;
        Assert.Equal(badIn ? "inFeatures" : "outFeatures", error.ParamName);
        NamesLayerAndRange(error, Name, badIn ? InMax : OutMax);
        Assert.Equal((3, 4), (layer.ActiveIn, layer.ActiveOut));
    }

    [Fact]
    public void An_input_of_the_wrong_width_throws_naming_the_layer()
    {
        using var scope = NewDisposeScope();
        using var layer = new EntangledLinear(Name, InMax, OutMax, hasBias: true);
        layer.SetActive(10, 4);

        var error = Assert.Throws<ArgumentException>(() => layer.forward(zeros(2, 11)));

        Assert.Contains($"'{Name}'", error.Message);
        Assert.Contains("10", error.Message);
    }

    [Fact]
    public void Bias_off_or_absent_is_reported_and_a_layer_without_bias_registers_weight_only()
    {
        using var layer = new EntangledLinear(Name, InMax, OutMax, hasBias: true);
        using var noBias = new EntangledLinear("no-bias", InMax, OutMax, hasBias: false);

        Assert.Equal(["weight", "bias"], layer.state_dict().Keys);
        Assert.Equal(["weight"], noBias.state_dict().Keys);
        Assert.True(layer.ActiveBias);
        Assert.False(noBias.ActiveBias);
        noBias.SetActive(3, 3, useBias: true); // a layer without bias ignores the request
        Assert.False(noBias.ActiveBias);
        layer.SetActive(3, 3, useBias: false);
        Assert.False(layer.ActiveBias);
        Assert.Null(noBias.Bias);
    }

    [Fact]
    public void Extraction_keeps_dtype_and_survives_the_dispose_scope_it_was_made_in()
    {
        EntangledLinear layer;
        Linear extracted;
        using (NewDisposeScope())
        {
            layer = new EntangledLinear(Name, InMax, OutMax, hasBias: true, dtype: ScalarType.Float64);
            layer.SetActive(9, 5);
            extracted = layer.Extract();
        }

        using (layer)
        using (extracted)
        using (NewDisposeScope())
        {
            var x = randn([2, 9], dtype: ScalarType.Float64, generator: new Generator(1));
            Assert.Equal(ScalarType.Float64, extracted.weight.dtype);
            Close(layer.forward(x), extracted.forward(x), 1e-12, "float64");
            using var throughInterface = ((IEntangledModule)layer).Extract();
            Assert.IsType<Linear>(throughInterface);
        }
    }
}
