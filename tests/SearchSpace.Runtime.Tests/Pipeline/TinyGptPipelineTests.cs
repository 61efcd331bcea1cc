using System.Text.Json;
using SearchSpaceDsl.Checkpoints;
using TinyGpt;
using TinyGpt.Pipeline;

namespace SearchSpaceDsl.Tests.Pipeline;

/// <summary>The sample's pipeline end to end at a tiny budget: every artefact exists and is well formed.</summary>
public sealed class TinyGptPipelineTests(TinyGptPipelineFixture fixture) : IClassFixture<TinyGptPipelineFixture>
{
    [Fact]
    public void Every_artefact_exists()
    {
        var run = fixture.Run;
        foreach (var path in new[] { run.DenseModel, run.Supernet, run.Study, run.TrialsJson, run.TrialsCsv, run.PruningJson, run.Plot, run.ReportMarkdown, run.ReportJson })
            Assert.True(new FileInfo(path).Length > 0, $"{path} is missing or empty");
        Assert.Equal(fixture.Summary.Models.Count, Directory.GetFiles(run.Models, "*.safetensors").Length);
        Assert.Contains(run.Model("smallest"), fixture.Summary.Models);
        Assert.Contains(run.Model("lowest-perplexity"), fixture.Summary.Models);
    }

    [Fact]
    public void Saved_models_load_with_their_cards_and_compute_logits()
    {
        foreach (var path in fixture.Summary.Models.Append(fixture.Run.DenseModel).Append(fixture.Run.Supernet))
        {
            var (model, card) = ModelFiles.Load(path);
            using var _ = model;
            var architecture = card.ParseArchitecture();
            Assert.Equal(TinyGptModel.CountParameters(architecture), card.Parameters);
            Assert.Equal(card.Parameters, model.parameters().Sum(p => p.numel()));
            Assert.Equal(89, card.Vocabulary.Length);
            using (var content = SafeTensorsFile.Read(path))
                Assert.Equal(architecture.ToString(), content.Metadata["architecture"]);
            using var logits = model.forward(TorchSharp.torch.zeros([1, 8], TorchSharp.torch.int64));
            Assert.Equal([1L, 8, TinyGptModel.Vocab], logits.shape);
        }
    }

    [Fact]
    public void Trials_json_and_csv_hold_every_trial_with_the_three_objectives()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(fixture.Run.TrialsJson));
        var trials = json.RootElement.GetProperty("trials");
        Assert.Equal(fixture.Options.Trials, trials.GetArrayLength());
        foreach (var trial in trials.EnumerateArray())
        {
            var values = trial.GetProperty("values");
            Assert.True(values.GetProperty("perplexity").GetDouble() > 1);
            Assert.True(values.GetProperty("parameters").GetDouble() > 0);
            Assert.True(values.GetProperty("latency_ms").GetDouble() > 0);
        }
        var lines = File.ReadAllLines(fixture.Run.TrialsCsv);
        Assert.StartsWith("number,status,architecture,perplexity,parameters,latency_ms", lines[0]);
        Assert.Equal(fixture.Options.Trials + 1, lines.Count(l => l.Length > 0));
    }

    [Fact]
    public void Report_json_and_markdown_state_the_front_hypervolume_comparison_and_headline()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(fixture.Run.ReportJson));
        var root = json.RootElement;
        Assert.True(root.GetProperty("hypervolume").GetDouble() > 0);
        Assert.Equal(3, root.GetProperty("reference").GetArrayLength());
        Assert.True(root.GetProperty("front").GetArrayLength() >= 1);
        Assert.True(root.GetProperty("dense").GetProperty("perplexity").GetDouble() > 1);
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("headline_text").GetString()));
        Assert.Equal(JsonValueKind.Array, root.GetProperty("comparisons").ValueKind);

        var markdown = File.ReadAllText(fixture.Run.ReportMarkdown);
        Assert.Contains("## Pareto front", markdown);
        Assert.Contains("Hypervolume", markdown);
        Assert.Contains("NAS against magnitude pruning", markdown);
        Assert.Contains("**Headline**", markdown);

        using var pruning = JsonDocument.Parse(File.ReadAllText(fixture.Run.PruningJson));
        Assert.True(pruning.RootElement.GetArrayLength() >= 1);
        foreach (var point in pruning.RootElement.EnumerateArray())
        {
            var architecture = TinyGptArchitecture.Parse(point.GetProperty("architecture").GetString()!);
            Assert.Equal(TinyGptModel.CountParameters(architecture), point.GetProperty("parameters").GetInt64());
        }
    }

    [Fact]
    public void The_plot_is_a_png()
    {
        var bytes = File.ReadAllBytes(fixture.Run.Plot);
        Assert.True(bytes.Length > 10_000);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
    }

    [Fact]
    public void Resuming_the_search_replays_every_stored_trial()
    {
        using var evaluation = new Evaluation(fixture.Options);
        var result = ArchitectureSearch.Run(fixture.Options with { Resume = true }, evaluation, fixture.Run, PlainLog.Silent);
        Assert.Equal(0, result.Summary.Evaluated);
        Assert.Equal(fixture.Options.Trials, result.Summary.Replayed);
    }

    [Fact]
    public void Generate_samples_text_from_a_saved_model()
    {
        var text = TextGeneration.Generate(fixture.Run.DenseModel, "Call me", 20, 0.8, seed: 1);
        Assert.StartsWith("Call me", text);
        Assert.Equal("Call me".Length + 20, text.Length);
        Assert.Equal(text, TextGeneration.Generate(fixture.Run.DenseModel, "Call me", 20, 0.8, seed: 1));
    }

    [Fact]
    public void Magnitude_pruning_hits_sizes_within_the_space_and_keeps_the_full_function()
    {
        var (dense, _) = ModelFiles.Load(fixture.Run.DenseModel);
        using var _d = dense;
        using var pruning = new MagnitudePruning(dense);
        var largest = TinyGptArchitecture.Space.Largest;
        var all = pruning.ArchitectureFor(long.MaxValue);
        Assert.Equal(largest, all);
        // Channel, head and neuron permutations leave the full model's function unchanged.
        using var full = pruning.Build(largest);
        using var tokens = TorchSharp.torch.randint(0, TinyGptModel.Vocab, [2, 16], dtype: TorchSharp.torch.int64);
        dense.eval();
        full.eval();
        using var expected = dense.forward(tokens);
        using var actual = full.forward(tokens);
        Assert.True(expected.allclose(actual, rtol: 1e-4, atol: 1e-4));
        var target = TinyGptModel.CountParameters(largest) / 2;
        var half = pruning.ArchitectureFor(target);
        Assert.True(TinyGptArchitecture.Space.IsValid(half));
        Assert.InRange(TinyGptModel.CountParameters(half), target * 0.8, target * 1.2);
    }
}
