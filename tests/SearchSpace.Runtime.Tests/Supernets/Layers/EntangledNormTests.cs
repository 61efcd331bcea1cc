using SearchSpaceDsl.Supernets;
using TorchSharp;
using static SearchSpaceDsl.Tests.Supernets.EntangledLayerAssert;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets;

/// <summary>
/// The tests that <see cref="EntangledLayerNorm"/> and <see cref="EntangledRmsNorm"/> share, written once; each norm
/// runs them through a sealed subclass that supplies what differs (name, epsilon, parameters, extracted module) and adds
/// its own tests.
/// </summary>
/// <typeparam name="TNorm">The entangled norm under test.</typeparam>
/// <typeparam name="TDense">The dense module its <c>Extract</c> returns.</typeparam>
public abstract class EntangledNormTests<TNorm, TDense>
    where TNorm : EntangledNorm, IEntangledModule
    where TDense : nn.Module<Tensor, Tensor>
{
    /// <summary>The largest width of the norm under test.</summary>
    protected const int DimMax = 43;

    /// <summary>The layer name, which error messages must contain.</summary>
    protected abstract string Name { get; }

    /// <summary>The norm's default epsilon, which the tests expect of the norm and of its extraction.</summary>
    protected abstract double Eps { get; }

    /// <summary>The number of parameters per active feature (γ, and β for LayerNorm).</summary>
    protected abstract int ParametersPerFeature { get; }

    /// <summary>The state-dict names of the norm and of its extraction.</summary>
    protected abstract string[] StateDictNames { get; }

    /// <summary>A norm of width <see cref="DimMax"/> with its default parameters and epsilon.</summary>
    protected abstract TNorm Create();

    /// <summary>A norm of width <see cref="DimMax"/> whose parameters are random, so that reading the wrong entries shows.</summary>
    protected abstract TNorm CreateRandomized(Generator generator, ScalarType dtype = ScalarType.Float32);

    /// <summary>The norm's extraction, as its own <c>Extract</c> types it.</summary>
    protected abstract TDense Extract(TNorm layer);

    /// <summary>Asserts what the extraction of a norm of active width <paramref name="dim"/> holds besides its parameters.</summary>
    protected abstract void AssertExtractedSettings(TDense extracted, int dim);

    /// <summary>After a backward pass, asserts that every parameter's gradient lies in its active prefix <c>[:dim]</c>.</summary>
    protected abstract void AssertGradientsInPrefix(TNorm layer, int dim);

    /// <summary>The largest width, the smallest, 2 (the smallest at which LayerNorm depends on its input), then random widths.</summary>
    protected static IEnumerable<int> Widths(int seed) => EntangledLayerAssert.Widths(seed, DimMax, 2);

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
            using var extracted = Extract(layer);
            var actual = extracted.forward(x);

            Assert.Equal(x.shape, expected.shape);
            Close(expected, actual, Tolerance, $"d={dim}");
        }
    }

    [Fact]
    public void Active_parameter_count_equals_the_extracted_module_and_the_formula()
    {
        using var layer = Create();
        Assert.Equal((long)ParametersPerFeature * DimMax, layer.ActiveParameterCount);

        foreach (var dim in Widths(seed: 3))
        {
            layer.SetActive(dim);
            using var extracted = Extract(layer);

            Assert.Equal((long)ParametersPerFeature * dim, layer.ActiveParameterCount);
            Assert.Equal(ParameterCount(extracted), layer.ActiveParameterCount);
            AssertExtractedSettings(extracted, dim);
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
            var x = randn([6, dim], generator: generator);

            ProjectionLoss(layer.forward(x), generator).backward();

            AssertGradientsInPrefix(layer, dim);
        }
    }

    [Fact]
    public void SetActive_allocates_nothing()
    {
        using var layer = Create();
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
            using var extracted = Extract(layer);
            SharesNoStorage(layer, extracted, x, amount: 1.0, minimumChange: 0.5);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(DimMax + 1)]
    public void Out_of_range_widths_throw_naming_the_layer(int dim)
    {
        using var layer = Create();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => layer.SetActive(dim));

        NamesLayerAndRange(error, Name, DimMax);
        Assert.Equal(DimMax, layer.ActiveDim);
    }

    [Fact]
    public void Extraction_keeps_dtype_names_and_survives_the_dispose_scope_it_was_made_in()
    {
        TNorm layer;
        TDense extracted;
        using (NewDisposeScope())
        {
            layer = CreateRandomized(new Generator(1), ScalarType.Float64);
            layer.SetActive(7);
            extracted = Extract(layer);
        }

        using (layer)
        using (extracted)
        using (NewDisposeScope())
        {
            var x = randn([2, 7], dtype: ScalarType.Float64, generator: new Generator(2));
            Assert.All(extracted.parameters(), parameter => Assert.Equal(ScalarType.Float64, parameter.dtype));
            Close(layer.forward(x), extracted.forward(x), 0, "float64");
            Assert.Equal(StateDictNames, layer.state_dict().Keys);
            Assert.Equal(StateDictNames, extracted.state_dict().Keys);
        }
    }
}
