using SearchSpaceDsl.Supernets;
using TinyGpt;
using TorchSharp;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Kernels.Tests.Gpt;

/// <summary>
/// The kernel inference path against the TorchSharp supernet it was uploaded from: the same loss for random
/// sub-networks, with the weights uploaded once.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class KernelGptTests(KernelContextFixture fixture)
{
    private const int Batch = 2, Seq = 6;

    [Fact]
    public void Ten_random_sub_networks_have_the_supernets_loss_without_re_upload()
    {
        torch.manual_seed(3);
        using var supernet = new TestGptModel();
        RandomizeNorms(supernet); // γ = 1, β = 0 at initialisation would hide a slicing error in the norms
        using var gpt = KernelWeights.UploadGpt(fixture.Kernels.Library, supernet, TestGptArchitecture.HeadSize);
        Assert.Equal((TestGptModel.Vocab, TestGptModel.Context, 32, 2, true), (gpt.Vocab, gpt.Context, gpt.DimMax, gpt.LayersMax, gpt.HasBias));

        var random = new Random(5);
        var space = TestGptArchitecture.Space;
        var architectures = new List<TestGptArchitecture> { space.Largest, space.Smallest };
        while (architectures.Count < 10)
            architectures.Add(space.Sample(random));

        foreach (var architecture in architectures)
        {
            var (tokens, targets) = Batch2(random);
            supernet.Activate(architecture);
            double expected = TorchLoss(supernet, tokens, targets);
            double actual = gpt.Loss(tokens, targets, Batch, Seq, Sizes(architecture));
            Assert.True(Math.Abs(actual - expected) <= 1e-4,
                $"{architecture}: kernel loss {actual:F7}, supernet loss {expected:F7} (difference {Math.Abs(actual - expected):E2}).");
        }
    }

    [Fact]
    public void Logits_equal_the_supernets_for_a_sub_network()
    {
        torch.manual_seed(4);
        using var supernet = new TestGptModel();
        RandomizeNorms(supernet);
        using var gpt = KernelWeights.UploadGpt(fixture.Kernels.Library, supernet, TestGptArchitecture.HeadSize);
        var architecture = new TestGptArchitecture(24, 2, [2, 4], [2, 1], true);
        var (tokens, _) = Batch2(new Random(6));
        supernet.Activate(architecture);
        using var input = tensor(tokens.Select(t => (long)t).ToArray(), new long[] { Batch, Seq });
        using var logits = supernet.forward(input);
        var expected = logits.to(float64).data<double>().ToArray();
        var actual = gpt.Logits(tokens, Batch, Seq, Sizes(architecture));
        Compare.Matrix(actual, TestGptModel.Vocab, expected, Batch * Seq, TestGptModel.Vocab, tolerance: 1e-5);
    }

    [Fact]
    public void The_sample_TinyGpt_model_runs_on_the_kernel_path()
    {
        // The sample's own supernet at its largest capacity, its smallest member, one short sequence (the CPU
        // accelerator is slow).
        torch.manual_seed(8);
        using var supernet = new TinyGptModel();
        using var gpt = KernelWeights.UploadGpt(fixture.Kernels.Library, supernet, TinyGptArchitecture.HeadSize);
        var architecture = TinyGptArchitecture.Space.Smallest;
        int[] tokens = [3, 14, 15, 9], targets = [14, 15, 9, 26];
        supernet.Activate(architecture);
        double expected = TorchLoss(supernet, tokens, targets, batch: 1, seq: 4);
        var sizes = KernelWeights.Sizes(architecture.EmbedDim, architecture.Layers, architecture.Heads, architecture.MlpRatio, architecture.Bias);
        double actual = gpt.Loss(tokens, targets, 1, 4, sizes);
        Assert.True(Math.Abs(actual - expected) <= 1e-4, $"kernel loss {actual:F7}, supernet loss {expected:F7}.");
    }

    [Fact]
    public void Sizes_beyond_the_uploaded_weights_are_clear_errors()
    {
        torch.manual_seed(9);
        using var supernet = new TestGptModel(new TestGptArchitecture(24, 1, [2], [1], false));
        using var gpt = KernelWeights.UploadGpt(fixture.Kernels.Library, supernet, TestGptArchitecture.HeadSize);
        int[] tokens = [1, 2, 3];
        var ok = new GptSizes(24, 1, [2], [24], false);
        var error = Assert.Throws<ArgumentException>(() => gpt.Logits(tokens, 1, 3, ok with { EmbedDim = 32 }));
        Assert.Contains("EmbedDim 32 exceeds the model's embedding width 24", error.Message);
        error = Assert.Throws<ArgumentException>(() => gpt.Logits(tokens, 1, 3, ok with { Layers = 2, Heads = [2, 2], Hidden = [24, 24] }));
        Assert.Contains("Layers 2 exceeds the model's blocks 1", error.Message);
        error = Assert.Throws<ArgumentException>(() => gpt.Logits(tokens, 1, 3, ok with { Heads = [3] }));
        Assert.Contains("Heads[0] 3 exceeds the heads of block 0: 2", error.Message);
        error = Assert.Throws<ArgumentException>(() => gpt.Logits(tokens, 1, 3, ok with { Hidden = [25] }));
        Assert.Contains("Hidden[0] 25 exceeds the MLP hidden width of block 0: 24", error.Message);
        error = Assert.Throws<ArgumentException>(() => gpt.Logits(tokens, 1, 3, ok with { Bias = true }));
        Assert.Contains("no biases", error.Message);
        error = Assert.Throws<ArgumentException>(() => gpt.Logits(new int[9], 1, 9, ok));
        Assert.Contains("seq 9 exceeds the model's context 8", error.Message);
        error = Assert.Throws<ArgumentException>(() => gpt.Logits([1, 13, 2], 1, 3, ok));
        Assert.Contains("tokens[1] = 13 lies outside the vocabulary [0, 13)", error.Message);
    }

    [Fact]
    public void Missing_or_misshapen_weights_are_named()
    {
        torch.manual_seed(10);
        using var supernet = new TestGptModel(new TestGptArchitecture(16, 1, [1], [1], true));
        var weights = KernelWeights.FromModule(supernet);
        weights.Remove("mlp.0.fc2.bias");
        var error = Assert.Throws<ArgumentException>(() => KernelGpt.Upload(fixture.Kernels.Library, weights, 8));
        Assert.Contains("'mlp.0.fc2.bias'", error.Message);
        weights = KernelWeights.FromModule(supernet);
        weights["attention.0.key.weight"] = new HostTensor([4, 16], new float[64]);
        error = Assert.Throws<ArgumentException>(() => KernelGpt.Upload(fixture.Kernels.Library, weights, 8));
        Assert.Contains("'attention.0.key.weight' has shape [4, 16]; expected [8, 16]", error.Message);
    }

    [Fact]
    public void Hw_gpt_bench_sizes_map_ratios_to_hidden_widths()
    {
        var sizes = KernelWeights.Sizes(SearchSpaceDsl.Zoo.HwGptBenchS.Space.Largest);
        Assert.Equal((768, 12, true), (sizes.EmbedDim, sizes.Layers, sizes.Bias));
        Assert.All(sizes.Heads, h => Assert.Equal(12, h));
        Assert.All(sizes.Hidden, h => Assert.Equal(3072, h));
        Assert.Equal(12, sizes.Hidden.Count);
    }

    private static GptSizes Sizes(TestGptArchitecture a) =>
        KernelWeights.Sizes(a.EmbedDim, a.Layers, a.Heads, a.MlpRatio, a.Bias);

    private static (int[] Tokens, int[] Targets) Batch2(Random random)
    {
        var tokens = new int[Batch * Seq];
        var targets = new int[Batch * Seq];
        for (int i = 0; i < tokens.Length; i++)
        {
            tokens[i] = random.Next(TestGptModel.Vocab);
            targets[i] = random.Next(TestGptModel.Vocab);
        }
        return (tokens, targets);
    }

    private static double TorchLoss(nn.Module<Tensor, Tensor> model, int[] tokens, int[] targets, int batch = Batch, int seq = Seq)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = tensor(tokens.Select(t => (long)t).ToArray(), new long[] { batch, seq });
        var target = tensor(targets.Select(t => (long)t).ToArray(), new long[] { batch * seq });
        var logits = model.forward(input);
        return nn.functional.cross_entropy(logits.reshape(batch * seq, -1), target).item<float>();
    }

    private static void RandomizeNorms(nn.Module model)
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (name.Contains("norm", StringComparison.Ordinal))
                parameter.uniform_(-1.5, 1.5);
        }
    }
}
