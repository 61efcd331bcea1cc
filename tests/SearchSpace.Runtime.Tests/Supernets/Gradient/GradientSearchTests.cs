using SearchSpaceDsl.Supernets.Gradient;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets.Gradient;

/// <summary>DARTS, GDAS and DrNAS derive the architecture the synthetic regression needs, for three seeds each.</summary>
public sealed class GradientSearchTests(ITestOutputHelper output)
{
    internal static readonly double LargestParameters = RegressionModel.CountParameters(RegressionArch.Space.Largest);

    // The weights must learn faster than the architecture moves (weights lr 3e-2 against 3e-2 for the logits, after 100
    // warm-up steps): with a weights lr of 1e-2, seed 1 keeps a width of 4 in the second block, whose units co-adapted.
    internal static GradientSearchOptions Options(string mode, int seed) => new()
    {
        Mode = mode switch
        {
            "DARTS" => MixingMode.Darts(),
            "GDAS" => MixingMode.Gdas(new TemperatureSchedule(2, 0.2)),
            _ => MixingMode.DrNas(),
        },
        Steps = 300,
        WeightDecay = 0,
        WarmupSteps = 100,
        WeightLearningRate = 3e-2,
        ArchitectureLearningRate = 3e-2,
        Seed = seed,
        WeightStep = WeightStepMixture.SampledArchitecture,
        Hardware = HardwareTerm.Penalty(RegressionModel.ExpectedParameters, weight: 1.5, scale: LargestParameters),
    };

    [Theory]
    [InlineData("DARTS", 1)]
    [InlineData("DARTS", 2)]
    [InlineData("DARTS", 3)]
    [InlineData("GDAS", 1)]
    [InlineData("GDAS", 2)]
    [InlineData("GDAS", 3)]
    [InlineData("DrNAS", 1)]
    [InlineData("DrNAS", 2)]
    [InlineData("DrNAS", 3)]
    public void Search_derives_the_architecture_the_task_needs(string mode, int seed)
    {
        using var task = new RegressionTask(seed);
        using var model = RegressionModel.Create(seed);
        using var search = new GradientSearch<RegressionModel, RegressionArch>(model, RegressionTask.Mse, Options(mode, seed));
        var result = search.Run(() => task.Batch(), () => task.Batch());
        var last = result.History.Records[^1];
        output.WriteLine($"{mode} seed {seed}: {result.Architecture}; valid loss {last.ValidLoss:F4}, cost {last.Cost}");
        output.WriteLine(string.Join(", ", result.History.Columns.Zip(last.Probabilities, (c, p) => $"{c}: {p:F2}")));
        Assert.Equal(RegressionTask.Best, result.Architecture);
        Assert.Equal(search.Options.Steps, result.History.Records.Count);

        using var dense = model.Extract(result.Architecture);
        using var scope = NewDisposeScope();
        var (x, y) = task.Batch(256);
        model.Activate(result.Architecture);
        Assert.True(dense.forward(x).allclose(model.forward(x), rtol: 0, atol: 1e-6));
    }
}
