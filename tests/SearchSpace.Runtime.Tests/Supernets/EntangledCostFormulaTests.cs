using SearchSpaceDsl.Supernets;
using TorchSharp;
using static SearchSpaceDsl.Tests.Supernets.EntangledLayerAssert;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets;

public class EntangledCostFormulaTests
{
    [Theory]
    [MemberData(nameof(EntangledLayerCases.Names), MemberType = typeof(EntangledLayerCases))]
    public void Static_parameter_count_equals_the_active_count_and_the_extracted_numel(string kindName)
    {
        var kind = EntangledLayerCases.Kinds[kindName];
        var generator = new Generator(3);
        var random = new Random(23);
        using var source = kind.CreateSource(generator);

        for (var i = 0; i < EntangledLayerCases.Configurations; i++)
        {
            using var scope = NewDisposeScope();
            var active = kind.Activate(source, random, generator);
            using var target = active.Target;
            using var extracted = ((IEntangledModule)source).Extract();

            Assert.Equal(active.StaticParameterCount, ((IEntangledModule)source).ActiveParameterCount);
            Assert.Equal(active.StaticParameterCount, ParameterCount(extracted));
            Assert.Equal(active.StaticParameterCount, ParameterCount(target)); // a layer whose max sizes are the active sizes
        }
    }

    [Fact]
    public void Parameter_counts_match_hand_counts()
    {
        Assert.Equal(37 * 29 + 29, EntangledLinear.CountParameters(37, 29, bias: true));
        Assert.Equal(15, EntangledLinear.CountParameters(5, 3, bias: false));
        Assert.Equal(38_597_376, EntangledEmbedding.CountParameters(50257, 768)); // GPT-2 token embedding
        Assert.Equal(1536, EntangledLayerNorm.CountParameters(768));
        Assert.Equal(768, EntangledRmsNorm.CountParameters(768));
        Assert.Equal(4_722_432, EntangledMlp.CountParameters(768, 3072, bias: true)); // GPT-2 small MLP
        Assert.Equal(2_362_368, EntangledSelfAttention.CountParameters(768, 12, 64, bias: true)); // GPT-2 small c_attn + c_proj
        // GQA d=10, 6 query heads of 3 in 2 groups: q 10·18, k 10·6, v 10·6, o 18·10.
        Assert.Equal(480, EntangledSelfAttention.CountParameters(10, 6, 3, bias: false, kvGroups: 2));
    }

    [Fact]
    public void Flops_per_token_match_hand_counts()
    {
        // Linear: 2·in·out, + out with bias.
        Assert.Equal(2175, EntangledLinear.CountFlopsPerToken(37, 29, bias: true)); // 2146 + 29
        Assert.Equal(30, EntangledLinear.CountFlopsPerToken(5, 3, bias: false));

        // Embedding: a gather.
        Assert.Equal(0, EntangledEmbedding.CountFlopsPerToken(50257, 768));
        Assert.Equal(0, EntangledEmbedding.CountFlopsPerToken(11, 3));

        // LayerNorm: 7 per feature; RMSNorm: 4 per feature.
        Assert.Equal(5376, EntangledLayerNorm.CountFlopsPerToken(768));
        Assert.Equal(35, EntangledLayerNorm.CountFlopsPerToken(5));
        Assert.Equal(3072, EntangledRmsNorm.CountFlopsPerToken(768));
        Assert.Equal(20, EntangledRmsNorm.CountFlopsPerToken(5));

        // MLP d=4, hidden=8, bias: fc1 64 + 8, GELU 5·8 = 40, fc2 64 + 4.
        Assert.Equal(180, EntangledMlp.CountFlopsPerToken(4, 8, bias: true));
        // MLP d=768, hidden=3072, no bias: 2 · 4,718,592 + GELU 15,360.
        Assert.Equal(9_452_544, EntangledMlp.CountFlopsPerToken(768, 3072, bias: false));

        // MHA d=12, 4 heads of 4, bias, T=5: projections 4 · 384 = 1536, biases 16+16+16+12 = 60,
        // QKᵀ 4·2·5·4 = 160, softmax 4·5·5 = 100, AV 160.
        Assert.Equal(2016, EntangledSelfAttention.CountFlopsPerToken(12, 4, 4, bias: true, context: 5));
        // GQA d=10, 6 heads of 3 in 2 groups, no bias, T=7: q 360, k 120, v 120, o 360,
        // QKᵀ 6·2·7·3 = 252, softmax 6·5·7 = 210, AV 252.
        Assert.Equal(1674, EntangledSelfAttention.CountFlopsPerToken(10, 6, 3, bias: false, context: 7, kvGroups: 2));
        // GPT-2 small, T=1024: projections 4,718,592, biases 3072, QKᵀ and AV 1,572,864 each, softmax 61,440.
        Assert.Equal(7_928_832, EntangledSelfAttention.CountFlopsPerToken(768, 12, 64, bias: true, context: 1024));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Linear_flops_equal_the_operations_of_a_counted_scalar_forward(bool useBias)
    {
        const int tokens = 3, inFeatures = 5, outFeatures = 4;
        using var layer = new EntangledLinear("proj", 7, 6, hasBias: true, dtype: ScalarType.Float64);
        layer.SetActive(inFeatures, outFeatures, useBias);
        using var scope = NewDisposeScope();
        var x = randn([tokens, inFeatures], dtype: ScalarType.Float64, generator: new Generator(9));
        var xs = ToDoubles(x);
        var w = ToDoubles(layer.Weight);
        var b = ToDoubles(layer.Bias!);

        // y = x·Wᵀ + b one scalar operation at a time, counting each multiplication and addition.
        long operations = 0;
        var y = new double[tokens * outFeatures];
        for (var t = 0; t < tokens; t++)
        for (var o = 0; o < outFeatures; o++)
        {
            var sum = 0.0;
            for (var i = 0; i < inFeatures; i++)
            {
                sum += xs[t * inFeatures + i] * w[o * layer.InMax + i];
                operations += 2;
            }
            if (useBias)
            {
                sum += b[o];
                operations++;
            }
            y[t * outFeatures + o] = sum;
        }

        var forward = ToDoubles(layer.forward(x));
        Assert.True(y.Zip(forward, (a, c) => Math.Abs(a - c)).Max() <= 1e-12, "the counted forward computes the layer's output");
        Assert.Equal(operations / tokens, EntangledLinear.CountFlopsPerToken(inFeatures, outFeatures, useBias));
    }

    [Fact]
    public void Invalid_sizes_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EntangledLinear.CountParameters(0, 3, bias: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => EntangledLayerNorm.CountFlopsPerToken(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => EntangledSelfAttention.CountFlopsPerToken(8, 4, 2, bias: true, context: 0));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => EntangledSelfAttention.CountParameters(8, 6, 2, bias: true, kvGroups: 4));
        Assert.Equal("kvGroups", error.ParamName);
    }
}
