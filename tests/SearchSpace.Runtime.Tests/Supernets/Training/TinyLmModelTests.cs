using SearchSpaceDsl.Tests.Supernets.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets.Training;

/// <summary>The generated supernet the training tests train keeps the <see cref="SearchSpaceDsl.Supernets.ISupernet{TArch}"/> contract.</summary>
public sealed class TinyLmModelTests
{
    [Fact]
    public void Every_extracted_sub_network_computes_what_the_supernet_computes()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var model = TinyLmModel.Create(seed: 3);
        var (inputs, _) = TrainingTestHelpers.RandomBatch(TinyLmModel.Vocab, batch: 2, context: 5, seed: 1);
        foreach (var architecture in TinyLmArch.Space.Enumerate())
        {
            var dense = model.Extract(architecture);
            model.Activate(architecture);
            var diff = (model.forward(inputs) - dense.forward(inputs)).abs().max().ToDouble();
            Assert.True(diff <= 1e-5, $"{architecture}: max abs diff {diff:E3}");
            Assert.Equal(model.ActiveParameterCount, dense.parameters().Sum(p => p.numel()));
            Assert.Equal(TinyLmModel.CountParameters(architecture), model.ActiveParameterCount);
        }
        Assert.Contains("Width = 16 exceeds the capacity's 8",
            Assert.Throws<ArgumentException>(() => new TinyLmModel(new TinyLmArch(8, 2, [32, 32])).Activate(TinyLmArch.Space.Largest)).Message);
    }

    [Fact]
    public void Gradients_stay_in_the_active_slices_and_equal_the_extracted_models()
    {
        using var model = TinyLmModel.Create(seed: 4);
        GeneratedSupernetAssert.EverySampledArchitecture<TinyLmModel, TinyLmArch>(
            model, TinyLmModel.Vocab, count: 12, seed: 6, TinyLmModel.CountParameters);
    }

    [Fact]
    public void Names_counts_and_seeded_weights()
    {
        using var small = TinyLmModel.Create(seed: 0, TinyLmArch.Space.Smallest);
        Assert.Equal(["tokens.weight", "norm.0.weight", "norm.0.bias", "mlp.0.fc1.weight", "mlp.0.fc1.bias", "mlp.0.fc2.weight",
            "mlp.0.fc2.bias", "final_norm.weight", "final_norm.bias"], small.named_parameters().Select(p => p.name));
        // Smallest (width 8, one block of hidden 16): tokens 89·8, norm 2·8, MLP 8·16 + 16 + 16·8 + 8, final norm 2·8.
        Assert.Equal(712 + 16 + 280 + 16, TinyLmModel.CountParameters(TinyLmArch.Space.Smallest));

        // Same seed, same weights (a private generator); another seed, other weights; `new` is seed 0.
        using var scope = NewDisposeScope();
        var a = TrainingTestHelpers.Snapshot(TinyLmModel.Create(seed: 9));
        var b = TrainingTestHelpers.Snapshot(TinyLmModel.Create(seed: 9));
        var c = TrainingTestHelpers.Snapshot(TinyLmModel.Create(seed: 10));
        Assert.Equal(0, TrainingTestHelpers.MaxAbsDiff(a, b));
        Assert.True(TrainingTestHelpers.MaxAbsDiff(a, c) > 0);
        Assert.Equal(0, TrainingTestHelpers.MaxAbsDiff(TrainingTestHelpers.Snapshot(new TinyLmModel()), TrainingTestHelpers.Snapshot(TinyLmModel.Create(seed: 0))));
    }
}
