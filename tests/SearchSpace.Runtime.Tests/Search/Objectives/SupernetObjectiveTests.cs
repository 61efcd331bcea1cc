using SearchSpaceDsl.Search;
using SearchSpaceDsl.Search.Optimizers;
using SearchSpaceDsl.Supernets.Training;
using SearchSpaceDsl.Tests.Supernets.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Search.Objectives;

/// <summary>The built-in supernet objectives on a tiny language-model supernet, and a study over them.</summary>
public sealed class SupernetObjectiveTests
{
    private static int[] ValidationTokens(int seed, int count = 400)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => random.Next(TinyLmModel.Vocab))];
    }

    [Fact]
    public void Validation_loss_and_perplexity_are_the_evaluators_and_leave_the_supernet_as_it_was()
    {
        using var model = TinyLmModel.Create(seed: 3);
        var tokens = ValidationTokens(1);
        var loss = SupernetObjectives.ValidationLoss<TinyLmModel, TinyLmArch>(model, tokens, batchSize: 2, context: 16);
        var perplexity = SupernetObjectives.Perplexity<TinyLmModel, TinyLmArch>(model, tokens, batchSize: 2, context: 16);
        Assert.Equal(("val_loss", ObjectiveDirection.Minimize), (loss.Name, loss.Direction));
        var before = model.Active;
        foreach (var architecture in TinyLmArch.Space.Enumerate())
        {
            var expected = SupernetEvaluator.Evaluate<TinyLmModel, TinyLmArch>(
                model, architecture, SearchSpaceDsl.Data.TokenBatches.Sequential(tokens, 2, 16));
            Assert.Equal(expected.Loss, loss.Measure(architecture).Value);
            var p = perplexity.Measure(architecture);
            Assert.Equal(Math.Exp(expected.Loss), p.Value, 12);
            Assert.Equal(expected.Loss, p.Details!["perplexity_loss"]);
            Assert.Equal(before, model.Active);
        }
        Assert.Contains("needs more than the context", Assert.Throws<ArgumentException>(() =>
            SupernetObjectives.ValidationLoss<TinyLmModel, TinyLmArch>(model, [1, 2, 3], 2, 16)).Message);
    }

    [Fact]
    public void Latency_and_peak_memory_measure_the_extracted_model()
    {
        using var model = TinyLmModel.Create(seed: 4);
        using var input = randint(TinyLmModel.Vocab, [4, 32], dtype: int64);
        var latency = SupernetObjectives.Latency<TinyLmModel, TinyLmArch>(model, input, warmup: 1, repeats: 5);
        var memory = SupernetObjectives.PeakMemoryMiB<TinyLmModel, TinyLmArch>(model, input);
        foreach (var architecture in new[] { TinyLmArch.Space.Smallest, TinyLmArch.Space.Largest })
        {
            var l = latency.Measure(architecture);
            Assert.True(l.Value > 0);
            Assert.True(l.Details!["latency_ms_min_ms"] <= l.Value);
            var m = memory.Measure(architecture);
            using var extracted = model.Extract(architecture);
            var weightsMiB = extracted.parameters().Sum(p => p.numel() * 4) / (1024.0 * 1024);
            Assert.Equal(weightsMiB, m.Details!["peak_memory_mib_weights"], 9);
            Assert.Equal(m.Value, m.Details!["peak_memory_mib_weights"] + m.Details!["peak_memory_mib_activations"], 9);
        }
    }

    [Fact]
    public void A_study_over_supernet_objectives_runs_with_parallel_workers()
    {
        using var model = TinyLmModel.Create(seed: 5);
        var tokens = ValidationTokens(2);
        using var study = Study<TinyLmArch>.InMemory(
            SupernetObjectives.Perplexity<TinyLmModel, TinyLmArch>(model, tokens, batchSize: 2, context: 16),
            Objective<TinyLmArch>.Minimize("parameters", a => TinyLmModel.CountParameters(a)));
        var summary = study.Optimize(new Nsga2<TinyLmArch>(TinyLmArch.Space, seed: 1, populationSize: 4), trials: 12, workers: 3);
        Assert.Equal(12, summary.Evaluated);
        Assert.All(study.Trials, t => Assert.Equal(TrialStatus.Completed, t.Status));
        using var evaluation = Study<TinyLmArch>.InMemory(SupernetObjectives.Perplexity<TinyLmModel, TinyLmArch>(model, tokens, 2, 16));
        foreach (var trial in study.Trials)
        {
            var serial = SupernetEvaluator.Evaluate<TinyLmModel, TinyLmArch>(model, trial.Architecture, SearchSpaceDsl.Data.TokenBatches.Sequential(tokens, 2, 16));
            Assert.Equal(Math.Exp(serial.Loss), trial.Values![0], 12);
        }
        Assert.NotEmpty(study.ParetoFront());
    }
}
