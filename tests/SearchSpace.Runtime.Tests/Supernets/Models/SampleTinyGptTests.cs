using TorchSharp;
using SampleArchitecture = TinyGpt.TinyGptArchitecture;
using SampleModel = TinyGpt.TinyGptModel;

namespace SearchSpaceDsl.Tests.Supernets.Models;

/// <summary>One supernet of the sample's model (largest capacity, seeded weights) shared by the tests of a class.</summary>
public sealed class SampleTinyGptFixture : IDisposable
{
    public SampleTinyGptFixture()
    {
        torch.manual_seed(7);
        Model = new SampleModel();
    }

    public SampleModel Model { get; }

    public void Dispose() => Model.Dispose();
}

/// <summary>The sample's own [Supernet] model (<c>samples/TinyGpt/TinyGptModel.cs</c>) against its extracted models.</summary>
public sealed class SampleTinyGptTests(SampleTinyGptFixture fixture) : IClassFixture<SampleTinyGptFixture>
{
    [Fact]
    public void Fifty_sampled_architectures_match_their_extracted_models_in_forward_parameters_and_gradients()
    {
        // Batch 2, sequence 16, float32: forward ≤ 1e-5, CountParameters = extracted parameters, gradients only in the
        // active slices and equal to the extracted model's there.
        GeneratedSupernetAssert.EverySampledArchitecture<SampleModel, SampleArchitecture>(
            fixture.Model, SampleModel.Vocab, count: 50, seed: 2024, SampleModel.CountParameters, sequence: 16);
    }

    [Fact]
    public void The_largest_architecture_is_the_capacity_and_has_all_parameters()
    {
        var largest = SampleArchitecture.Space.Largest;
        Assert.Equal(largest, fixture.Model.Capacity);
        Assert.Equal(SampleModel.CountParameters(largest), fixture.Model.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void Flops_equal_hand_counts()
    {
        // A = (EmbedDim 64, 2 layers, heads [2, 4], MLP ratios [2, 3], no bias), context 64, vocab 89, head size 16:
        // tied head 2·64·89 = 11392; five LayerNorms 7·64 = 448 each → 2240;
        // attention 0 (2 heads → 32 wide): projections 2·64·32 (query) + 2·2·64·32 (key, value) + 2·32·64 (output) = 16384,
        //   scores 2·64·32 = 4096, softmax 5·64·2 = 640, values 2·64·32 = 4096 → 25216;
        // attention 1 (4 heads → 64 wide): 4·2·64·64 = 32768 + 2·64·64 = 8192 + 5·64·4 = 1280 + 8192 → 50432;
        // MLP 0 (hidden 128): 2·64·128 + 5·128 (GELU) + 2·128·64 = 16384 + 640 + 16384 = 33408;
        // MLP 1 (hidden 192): 2·64·192 + 5·192 + 2·192·64 = 24576 + 960 + 24576 = 50112. Embedding lookups cost 0.
        var a = new SampleArchitecture(64, 2, [2, 4], [2, 3], false);
        Assert.Equal(11392 + 2240 + 25216 + 50432 + 33408 + 50112, SampleModel.CountFlopsPerToken(a, context: 64));
        Assert.Equal(172800, SampleModel.CountFlopsPerToken(a, context: 64));

        // B = (EmbedDim 96, 3 layers, heads [4, 2, 4], MLP ratios [4, 2, 3], bias), context 32:
        // tied head 2·96·89 = 17088; seven LayerNorms 7·96 = 672 each → 4704;
        // attention with 4 heads (64 wide): projections 4·2·96·64 = 49152, biases 64 + 2·64 + 96 = 288,
        //   scores 2·32·64 = 4096, softmax 5·32·4 = 640, values 4096 → 58272 (layers 0 and 2);
        // attention with 2 heads (32 wide): 4·2·96·32 = 24576 + 32 + 64 + 96 = 192 + 2048 + 320 + 2048 → 29184;
        // MLP hidden 384: 2·96·384 + 384 + 5·384 + 2·384·96 + 96 = 73728 + 384 + 1920 + 73728 + 96 = 149856;
        // MLP hidden 192: 36864 + 192 + 960 + 36864 + 96 = 74976; MLP hidden 288: 55296 + 288 + 1440 + 55296 + 96 = 112416.
        var b = new SampleArchitecture(96, 3, [4, 2, 4], [4, 2, 3], true);
        Assert.Equal(17088 + 4704 + 58272 + 29184 + 58272 + 149856 + 74976 + 112416, SampleModel.CountFlopsPerToken(b, context: 32));
        Assert.Equal(504768, SampleModel.CountFlopsPerToken(b, context: 32));
    }
}
