using SearchSpaceDsl.Supernets;
using SearchSpaceDsl.Supernets.Gradient;
using TorchSharp;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets.Gradient;

/// <summary>The mixed forward of the entangled layers equals the weighted sum of the options' padded forwards.</summary>
public sealed class MixedLayerTests
{
    private static Tensor Softmax(Generator g, int n) => nn.functional.softmax(randn([n], dtype: ScalarType.Float64, generator: g), 0);

    private static Tensor Pad(Tensor x, int size) => x.size(-1) == size ? x : nn.functional.pad(x, [0, size - x.size(-1)]);

    [Fact]
    public void Linear_mixed_forward_equals_the_weighted_sum_of_padded_option_forwards()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(3);
        using var layer = new EntangledLinear("proj", inMax: 6, outMax: 8, hasBias: true, dtype: ScalarType.Float64);
        int[] outs = [2, 4, 8], ins = [3, 6];
        var alpha = Softmax(g, outs.Length);
        var beta = Softmax(g, ins.Length);
        var bias = Softmax(g, 2); // values {1, 0}: P(on) = bias[0]
        var x = randn([5, 6], dtype: ScalarType.Float64, generator: g);

        var expected = zeros([5, 8], dtype: ScalarType.Float64);
        for (int i = 0; i < outs.Length; i++)
            for (int j = 0; j < ins.Length; j++)
                for (int b = 0; b < 2; b++)
                {
                    layer.SetActive(ins[j], outs[i], useBias: b == 0);
                    var option = Pad(layer.forward(x.narrow(1, 0, ins[j])), 8);
                    expected = expected + option * alpha[i] * beta[j] * bias[b];
                }

        layer.SetMixture(SizeDistribution.Of(ins, beta), SizeDistribution.Of(outs, alpha), SizeDistribution.Of([1, 0], bias));
        Assert.True(layer.IsMixed);
        var mixed = layer.forward(x);
        Assert.True(mixed.allclose(expected, rtol: 0, atol: 1e-5), $"max diff {(mixed - expected).abs().max().ToDouble()}");

        layer.ClearMixture();
        Assert.False(layer.IsMixed);
        Assert.True(layer.forward(x).allclose(nn.functional.linear(x, layer.Weight, layer.Bias!), rtol: 0, atol: 1e-12));
    }

    [Fact]
    public void Mlp_with_a_mixed_hidden_width_equals_the_weighted_sum_of_its_options()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(4);
        using var mlp = new EntangledMlp("mlp", dimMax: 4, hiddenMax: 12, hasBias: true, dtype: ScalarType.Float64);
        int[] hidden = [4, 8, 12];
        var alpha = Softmax(g, 3);
        var x = randn([3, 4], dtype: ScalarType.Float64, generator: g);
        var expected = zeros([3, 4], dtype: ScalarType.Float64);
        for (int i = 0; i < 3; i++)
        {
            mlp.SetActive(4, hidden[i]);
            expected = expected + mlp.forward(x) * alpha[i];
        }
        mlp.SetMixture(null, SizeDistribution.Of(hidden, alpha));
        Assert.True(mlp.forward(x).allclose(expected, rtol: 0, atol: 1e-10));
    }

    [Fact]
    public void Norms_mix_their_outputs_with_statistics_over_each_option_width()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(5);
        using var norm = new EntangledLayerNorm("norm", 8, dtype: ScalarType.Float64);
        using (no_grad())
        {
            norm.parameters().First().normal_(1, 0.2, g);
            norm.parameters().Last().normal_(0, 0.2, g);
        }
        int[] dims = [2, 5, 8];
        var alpha = Softmax(g, 3);
        var x = randn([3, 8], dtype: ScalarType.Float64, generator: g);
        var expected = zeros([3, 8], dtype: ScalarType.Float64);
        for (int i = 0; i < 3; i++)
        {
            norm.SetActive(dims[i]);
            expected = expected + Pad(norm.forward(x.narrow(1, 0, dims[i])), 8) * alpha[i];
        }
        norm.SetMixture(SizeDistribution.Of(dims, alpha));
        Assert.True(norm.forward(x).allclose(expected, rtol: 0, atol: 1e-10));
    }

    [Fact]
    public void Attention_with_mixed_heads_equals_the_weighted_sum_of_its_options()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(6);
        using var attention = new EntangledSelfAttention("attention", dimMax: 8, headsMax: 4, headSizeMax: 2, hasBias: true, dtype: ScalarType.Float64);
        int[] heads = [1, 2, 4];
        var alpha = Softmax(g, 3);
        var x = randn([2, 5, 8], dtype: ScalarType.Float64, generator: g);
        var expected = zeros([2, 5, 8], dtype: ScalarType.Float64);
        for (int i = 0; i < 3; i++)
        {
            attention.SetActive(8, heads[i], 2);
            expected = expected + attention.forward(x) * alpha[i];
        }
        attention.SetMixture(null, SizeDistribution.Of(heads, alpha));
        Assert.True(attention.forward(x).allclose(expected, rtol: 0, atol: 1e-10));
        Assert.Throws<NotSupportedException>(() => attention.SetMixture(null, null, SizeDistribution.Of([1, 2], alpha.narrow(0, 0, 2))));
    }

    [Fact]
    public void A_one_hot_mixture_of_a_generated_supernet_computes_that_architecture_and_its_cost()
    {
        using var scope = NewDisposeScope();
        using var model = RegressionModel.Create(1, ScalarType.Float64);
        var architecture = RegressionArch.Parse("Depth=2, Width=[8, 2]");
        var genes = new int[RegressionArch.Space.Description.GeneCount];
        Assert.True(((IArchitecture<RegressionArch>)architecture).TryWriteGenes(genes, null));
        var d = RegressionArch.Space.Description;
        var weights = d.Dimensions.SelectMany(dim => Enumerable.Range(0, dim.Slots).Select(slot =>
            nn.functional.one_hot(tensor((long)genes[dim.GeneOffset + slot]), dim.Count).to_type(ScalarType.Float64))).ToArray();
        var mixture = new ArchitectureMixture(d, weights);
        var x = randn([4, 24], dtype: ScalarType.Float64);

        model.Activate(architecture);
        var discrete = model.forward(x);
        model.Mix(mixture);
        Assert.Same(mixture, model.Mixture);
        var mixed = model.forward(x);
        Assert.True(mixed.allclose(discrete, rtol: 0, atol: 1e-10));
        Assert.Equal(RegressionModel.CountParameters(architecture), RegressionModel.ExpectedParameters(mixture).ToDouble(), 6);
        Assert.Equal(RegressionModel.CountFlopsPerToken(architecture, 1), RegressionModel.ExpectedFlopsPerToken(mixture, 1).ToDouble(), 6);

        model.Activate(architecture); // ends the mixture
        Assert.Null(model.Mixture);
        Assert.True(model.forward(x).allclose(discrete, rtol: 0, atol: 0));
    }
}
