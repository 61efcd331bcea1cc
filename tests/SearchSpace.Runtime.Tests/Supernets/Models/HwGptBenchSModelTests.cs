using SearchSpaceDsl.Zoo;
using TorchSharp;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets.Models;

/// <summary>The HW-GPT-Bench space S model of the zoo (<see cref="HwGptBenchSModel"/>).</summary>
public sealed class HwGptBenchSModelTests
{
    [Fact]
    public void A_small_capacity_computes_finite_logits_over_the_gpt2_vocabulary()
    {
        // The smallest member (192 wide, 10 layers), not the largest: its 50257·192 embedding is the bulk of ~12 M weights.
        var smallest = HwGptBenchS.Space.Smallest;
        Assert.Equal(192, smallest.EmbedDim);
        Assert.Equal(10, smallest.Layers);
        using var model = new HwGptBenchSModel(smallest);
        Assert.Equal(HwGptBenchSModel.CountParameters(smallest), model.parameters().Sum(p => p.numel()));

        using var scope = NewDisposeScope();
        using var generator = new Generator(3);
        var tokens = randint(HwGptBenchSModel.Vocab, [1, 8], dtype: int64, generator: generator);
        using var noGrad = no_grad();
        var logits = model.forward(tokens);
        Assert.Equal([1L, 8, 50257], logits.shape);
        Assert.True(logits.isfinite().all().item<bool>());
    }

    [Fact]
    public void The_largest_member_has_the_parameters_of_gpt2_small()
    {
        // Largest: 768 wide, 12 layers of 12 heads of 64 (768), MLP 4·768 = 3072, bias; the head is tied (no parameters,
        // no bias).
        const long d = 768, hidden = 3072, layers = 12;
        long embeddings = 50257 * d + 1024 * d;                 // 38,597,376 + 786,432
        long norms = 4 * d;                                      // two LayerNorms per layer, weight and bias
        long attention = 4 * d * d + 4 * d;                      // query, key, value, output with biases
        long mlp = 2 * d * hidden + hidden + d;                  // fc1, fc2 with biases
        long finalNorm = 2 * d;
        long expected = embeddings + layers * (norms + attention + mlp) + finalNorm;
        Assert.Equal(124_439_808, expected);
        Assert.Equal(expected, HwGptBenchSModel.CountParameters(HwGptBenchS.Space.Largest));
    }
}
