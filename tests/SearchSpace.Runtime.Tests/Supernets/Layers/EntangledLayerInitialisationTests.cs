using SearchSpaceDsl.Supernets;
using TorchSharp;
using static SearchSpaceDsl.Tests.Supernets.EntangledLayerAssert;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets;

/// <summary>Initialisation from torch's global generator: deterministic under a seed and equal to torch.nn's.</summary>
[Collection(GlobalTorchRngCollection.Name)]
public class EntangledLayerInitialisationTests
{
    [Fact]
    public void The_same_seed_gives_the_same_weights()
    {
        using var scope = NewDisposeScope();
        manual_seed(1234);
        using var linearA = new EntangledLinear("a", 13, 9, hasBias: true);
        using var embeddingA = new EntangledEmbedding("e", 11, 6);
        using var mlpA = new EntangledMlp("m", 5, 7, hasBias: true);
        manual_seed(1234);
        using var linearB = new EntangledLinear("a", 13, 9, hasBias: true);
        using var embeddingB = new EntangledEmbedding("e", 11, 6);
        using var mlpB = new EntangledMlp("m", 5, 7, hasBias: true);

        Close(linearA.Weight, linearB.Weight, 0, "linear weight");
        Close(linearA.Bias!, linearB.Bias!, 0, "linear bias");
        Close(embeddingA.Weight, embeddingB.Weight, 0, "embedding");
        foreach (var ((name, a), (_, b)) in mlpA.named_parameters().Zip(mlpB.named_parameters()))
            Close(a, b, 0, name);
    }

    [Fact]
    public void Linear_initialises_like_torch_nn_Linear_at_its_max_size()
    {
        using var scope = NewDisposeScope();
        manual_seed(42);
        using var entangled = new EntangledLinear("l", 31, 17, hasBias: true);
        manual_seed(42);
        using var dense = nn.Linear(31, 17);

        Close(dense.weight, entangled.Weight, 0, "weight");
        Close(dense.bias!, entangled.Bias!, 0, "bias");
        var bound = 1 / Math.Sqrt(31); // kaiming-uniform with a = √5 and the bias share the bound 1/√fan_in
        Assert.True(entangled.Weight.abs().max().ToDouble() <= bound);
        Assert.True(entangled.Bias!.abs().max().ToDouble() <= bound);
    }

    [Fact]
    public void Mlp_initialises_like_the_dense_Mlp_at_its_max_size()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        using var entangled = new EntangledMlp("m", 12, 30, hasBias: true);
        manual_seed(7);
        using var dense = new Mlp("m", 12, 30, hasBias: true);

        var expected = dense.state_dict();
        foreach (var (name, parameter) in entangled.state_dict())
            Close(expected[name], parameter, 0, name);
    }

    [Fact]
    public void Embedding_draws_standard_normal_weights_and_norms_start_at_identity()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var embedding = new EntangledEmbedding("e", 200, 50);
        using var layerNorm = new EntangledLayerNorm("ln", 9);
        using var rmsNorm = new EntangledRmsNorm("rms", 9);

        Assert.InRange(embedding.Weight.mean().ToDouble(), -0.05, 0.05);
        Assert.InRange(embedding.Weight.std().ToDouble(), 0.95, 1.05);
        Close(ones(9), layerNorm.Weight, 0, "LayerNorm γ");
        Close(zeros(9), layerNorm.Bias, 0, "LayerNorm β");
        Close(ones(9), rmsNorm.Weight, 0, "RMSNorm γ");
    }
}
