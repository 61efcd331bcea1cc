using SearchSpaceDsl.Checkpoints;
using SearchSpaceDsl.Data;
using SearchSpaceDsl.Supernets;
using SearchSpaceDsl.Supernets.Training;
using SearchSpaceDsl.Tests.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;
using SampleArchitecture = TinyGpt.TinyGptArchitecture;
using SampleModel = TinyGpt.TinyGptModel;

namespace SearchSpaceDsl.Tests.Supernets;

/// <summary>Loading a trained dense model (the sample's TinyGpt at its largest architecture) into a fresh supernet.</summary>
public sealed class SupernetLoadingTests
{
    private static readonly string MobyDick = Path.Combine(AppContext.BaseDirectory, "data", "moby-dick.txt");

    /// <summary>A dense TinyGpt of the largest architecture trained for 20 steps on the start of Moby-Dick.</summary>
    private static SampleModel TrainDense(out Tensor probe)
    {
        var corpus = TextCorpus.Load(MobyDick);
        Assert.Equal(SampleModel.Vocab, corpus.Vocabulary.Size);
        var tokens = corpus.Train[..20_000];
        torch.manual_seed(5);
        var dense = new SampleModel(SampleArchitecture.Space.Largest);
        var options = new SupernetTrainingOptions { LearningRate = 3e-3, Steps = 20, BatchSize = 8, Context = 32, Seed = 5 };
        using (var trainer = new SupernetTrainer<SampleModel, SampleArchitecture>(
                   dense, options, new FixedSampling<SampleArchitecture>(SampleArchitecture.Space.Largest)))
        {
            var history = trainer.Train(tokens);
            Assert.True(history[^1] < history[0], $"training loss {history[0]:F3} -> {history[^1]:F3}");
        }
        probe = tensor(corpus.Validation[..64].Select(t => (long)t).ToArray()).view(2, 32);
        return dense;
    }

    [Fact]
    public void A_checkpoint_of_the_trained_dense_model_loads_into_a_fresh_supernet_bit_exactly()
    {
        using var directory = new CheckpointDirectory();
        using var dense = TrainDense(out var probe);
        var path = directory.File("dense.safetensors");
        ModuleCheckpoint.Save(dense, path, new Dictionary<string, string> { ["steps"] = "20" });

        torch.manual_seed(99);
        using var supernet = new SampleModel();
        supernet.Activate(SampleArchitecture.Space.Smallest);
        var metadata = SupernetLoading.LoadDense(supernet, path);

        Assert.Equal("20", metadata["steps"]);
        Assert.Same(supernet.Capacity, supernet.Active);
        using var noGrad = no_grad();
        using var expected = dense.forward(probe);
        using var actual = supernet.forward(probe);
        Assert.Equal(CheckpointTestFiles.BytesOf(expected), CheckpointTestFiles.BytesOf(actual));
    }

    [Fact]
    public void The_dense_module_itself_loads_bit_exactly_and_parameters_keep_their_identity()
    {
        using var dense = TrainDense(out var probe);
        using var supernet = new SampleModel();
        var before = supernet.parameters().ToList();

        SupernetLoading.LoadDense(supernet, dense);

        Assert.Equal(before, supernet.parameters().ToList());
        using var noGrad = no_grad();
        using var expected = dense.forward(probe);
        using var actual = supernet.forward(probe);
        Assert.Equal(CheckpointTestFiles.BytesOf(expected), CheckpointTestFiles.BytesOf(actual));
    }

    [Fact]
    public void A_dense_model_of_another_capacity_is_refused_listing_every_mismatched_tensor()
    {
        using var directory = new CheckpointDirectory();
        var smaller = new SampleArchitecture(64, 2, [2, 4], [2, 3], false);
        using var dense = new SampleModel(smaller);
        var path = directory.File("smaller.safetensors");
        ModuleCheckpoint.Save(dense, path);
        using var supernet = new SampleModel();
        var probe = tensor(new long[] { 1, 2, 3, 4 }).view(1, 4);
        using var noGrad = no_grad();
        var before = CheckpointTestFiles.BytesOf(supernet.forward(probe));

        var fromFile = Assert.Throws<CheckpointMismatchException>(() => SupernetLoading.LoadDense(supernet, path));
        var mismatches = fromFile.Mismatches.Select(m => (m.Kind, m.Name)).ToList();
        Assert.Contains((CheckpointMismatchKind.Shape, "tokens.weight"), mismatches);
        Assert.Contains((CheckpointMismatchKind.Shape, "attention.1.query.weight"), mismatches);
        Assert.Contains((CheckpointMismatchKind.Shape, "mlp.0.fc1.weight"), mismatches);
        Assert.Contains((CheckpointMismatchKind.Missing, "attention.3.query.weight"), mismatches);
        Assert.Contains((CheckpointMismatchKind.Missing, "mlp.0.fc1.bias"), mismatches);
        Assert.Contains("shape mismatch for 'tokens.weight': the module expects [89, 128], the file has [89, 64]", fromFile.Message);

        var fromModule = Assert.Throws<ArgumentException>(() => SupernetLoading.LoadDense(supernet, dense));
        Assert.Contains("shape mismatch for 'tokens.weight': the supernet has [89, 128], the dense model [89, 64]", fromModule.Message);
        Assert.Contains("missing tensor 'attention.3.query.weight'", fromModule.Message);
        Assert.Contains($"{fromFile.Mismatches.Count} mismatches", fromModule.Message);

        Assert.Equal(before, CheckpointTestFiles.BytesOf(supernet.forward(probe)));
    }
}
