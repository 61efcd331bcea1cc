using System.Collections.Immutable;
using SearchSpaceDsl.Supernets;
using SearchSpaceDsl.Supernets.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets.Models;

/// <summary>The supernet the generator writes for <see cref="TinyGptModel"/> (multi-head attention, tied head).</summary>
public sealed class TinyGptModelTests
{
    private static readonly TinyGptArchitecture Small = new(16, 1, [1], [2], false);
    private static readonly TinyGptArchitecture Medium = new(24, 2, [2, 1], [4, 2], true);

    [Fact]
    public void Fifty_sampled_architectures_match_their_extracted_models()
    {
        using var model = new TinyGptModel();
        GeneratedSupernetAssert.EverySampledArchitecture<TinyGptModel, TinyGptArchitecture>(
            model, TinyGptModel.Vocab, count: 50, seed: 11, TinyGptModel.CountParameters);
    }

    [Fact]
    public void Construction_uses_the_capacity_and_stable_state_dict_names()
    {
        using var model = new TinyGptModel();
        Assert.Same(TinyGptArchitecture.Space.Largest, model.Capacity);
        Assert.Same(model.Capacity, model.Active);
        var names = model.named_parameters().Select(p => p.name).ToList();
        Assert.Contains("tokens.weight", names);
        Assert.Contains("positions.weight", names);
        Assert.Contains("norm1.2.bias", names);
        Assert.Contains("attention.2.query.weight", names);
        Assert.Contains("mlp.0.fc2.bias", names);
        Assert.Contains("final_norm.weight", names);
        Assert.DoesNotContain(names, n => n.StartsWith("attention.3", StringComparison.Ordinal));
        Assert.Equal(TinyGptModel.CountParameters(model.Capacity), model.parameters().Sum(p => p.numel()));
        Assert.Equal(TinyGptModel.CountParameters(model.Capacity), model.ActiveParameterCount);

        using var small = new TinyGptModel(Small);
        Assert.Equal(["tokens.weight", "positions.weight", "norm1.0.weight", "norm1.0.bias", "attention.0.query.weight",
            "attention.0.key.weight", "attention.0.value.weight", "attention.0.output.weight", "norm2.0.weight", "norm2.0.bias",
            "mlp.0.fc1.weight", "mlp.0.fc2.weight", "final_norm.weight", "final_norm.bias"],
            small.named_parameters().Select(p => p.name));
    }

    [Fact]
    public void Parameter_counts_equal_hand_counts()
    {
        // Small: tokens 20·16 + positions 16·16 + norm1 2·16 + attention 16·(2·8 + 2·8) + norm2 2·16 + mlp 2·16·32 + final 2·16.
        Assert.Equal(320 + 256 + 32 + 512 + 32 + 1024 + 32, TinyGptModel.CountParameters(Small));
        Assert.Equal(2208, TinyGptModel.CountParameters(Small));
    }

    [Fact]
    public void Flops_equal_hand_counts()
    {
        // Small, context 16: tied head 2·16·20 = 640; three LayerNorms 7·16 = 112 each; attention (d 16, 1 head of 8):
        // projections 2·16·8 + 2·2·16·8 + 2·8·16 = 1024, scores 2·16·8 = 256, softmax 5·16 = 80, values 256 → 1616;
        // MLP (hidden 32, no bias): 2·16·32 + 5·32 + 2·32·16 = 2208. Embedding lookups cost 0.
        Assert.Equal(640 + 3 * 112 + 1616 + 2208, TinyGptModel.CountFlopsPerToken(Small, context: 16));
        Assert.Equal(4800, TinyGptModel.CountFlopsPerToken(Small, context: 16));

        // Medium, context 8: tied head 2·24·20 = 960; five LayerNorms 7·24 = 168 each (840);
        // attention 0 (2 heads of 8, bias): projections 2·24·16 + 2·2·24·16 + 2·16·24 = 3072, biases 16 + 32 + 24 = 72,
        //   scores 2·8·16 = 256, softmax 2·5·8 = 80, values 256 → 3736;
        // attention 1 (1 head): 1536 + 48 + 128 + 40 + 128 = 1880;
        // MLP 0 (hidden 96, bias): 2·24·96 + 96 + 5·96 + 2·96·24 + 24 = 9816; MLP 1 (hidden 48): 2304 + 48 + 240 + 2304 + 24 = 4920.
        Assert.Equal(960 + 840 + 3736 + 1880 + 9816 + 4920, TinyGptModel.CountFlopsPerToken(Medium, context: 8));
        Assert.Equal(22152, TinyGptModel.CountFlopsPerToken(Medium, context: 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => TinyGptModel.CountFlopsPerToken(Small, context: 0));
    }

    [Fact]
    public void Activate_allocates_nothing()
    {
        using var model = new TinyGptModel();
        Assert.Equal(0, GeneratedSupernetAssert.ActivationAllocations(model, Small, Medium));
        Assert.Same(Medium, model.Active);
    }

    [Fact]
    public void An_architecture_beyond_the_capacity_is_refused_naming_the_dimension()
    {
        using var model = new TinyGptModel(new TinyGptArchitecture(24, 3, [1, 1, 1], [4, 4, 4], false));
        var previous = model.Active;

        var wide = Assert.Throws<ArgumentException>(() => model.Activate(new TinyGptArchitecture(24, 2, [1, 2], [2, 2], false)));
        Assert.Contains("Heads[1] = 2 exceeds the capacity's 1 in layer 'attention.1'", wide.Message);
        var biased = Assert.Throws<ArgumentException>(() => model.Activate(Medium));
        Assert.Contains("Bias = true", biased.Message);
        Assert.Same(previous, model.Active);

        using var small = new TinyGptModel(Small);
        Assert.Contains("EmbedDim = 24 exceeds the capacity's 16", Assert.Throws<ArgumentException>(() => small.Activate(Medium)).Message);
        Assert.Contains("Layers = 3 exceeds the capacity's 1",
            Assert.Throws<ArgumentException>(() => small.Activate(new TinyGptArchitecture(16, 3, [1, 1, 1], [2, 2, 2], false))).Message);
        Assert.Contains("Heads", Assert.Throws<ArgumentException>(() => small.Activate(new TinyGptArchitecture(16, 1, [3], [2], false))).Message);
        Assert.Throws<ArgumentException>(() => new TinyGptModel(new TinyGptArchitecture(16, 2, [1], [2], false)));
    }

    [Fact]
    public void Extract_restores_the_active_architecture_and_builds_exactly_that_architecture()
    {
        using var model = new TinyGptModel();
        model.Activate(Small);
        using var dense = model.Extract(Medium);
        Assert.Same(Small, model.Active);
        Assert.Same(Medium, dense.Capacity);
        Assert.Same(Medium, dense.Active);
        Assert.Equal(TinyGptModel.CountParameters(Medium), dense.parameters().Sum(p => p.numel()));
        Assert.Equal(model.ActiveParameterCount, TinyGptModel.CountParameters(Small));
    }

    [Fact]
    public void A_model_built_in_a_dispose_scope_outlives_it()
    {
        TinyGptModel model;
        using (NewDisposeScope())
            model = new TinyGptModel();
        using (model)
        {
            using var scope = NewDisposeScope();
            var logits = model.forward(tensor(new long[] { 1, 2, 3 }).view(1, 3));
            Assert.Equal([1L, 3, TinyGptModel.Vocab], logits.shape);
        }
    }

    [Fact]
    public void The_trainer_trains_the_generated_supernet()
    {
        // A learnable deterministic sequence (⌊7i/5⌋ mod 20): sandwich steps lower the loss of the largest and the smallest.
        var tokens = Enumerable.Range(0, 400).Select(i => i * 7 / 5 % TinyGptModel.Vocab).ToArray();
        using var model = new TinyGptModel();
        var options = new SupernetTrainingOptions { LearningRate = 1e-2, Steps = 40, BatchSize = 8, Context = 8, Seed = 1 };
        using var trainer = new SupernetTrainer<TinyGptModel, TinyGptArchitecture>(model, options, new SandwichSampling<TinyGptArchitecture>(1));
        TinyGptArchitecture[] watched = [TinyGptArchitecture.Space.Largest, TinyGptArchitecture.Space.Smallest];
        var before = watched.Select(a => trainer.Evaluate(a, tokens, maxBatches: 4).Loss).ToArray();

        trainer.Train(tokens);

        var after = watched.Select(a => trainer.Evaluate(a, tokens, maxBatches: 4).Loss).ToArray();
        for (var i = 0; i < watched.Length; i++)
            Assert.True(after[i] < 0.7 * before[i], $"{watched[i]}: loss {before[i]:F3} -> {after[i]:F3}");
    }
}
