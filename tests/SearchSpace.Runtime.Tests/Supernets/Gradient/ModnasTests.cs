using SearchSpaceDsl.Supernets.Gradient;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets.Gradient;

/// <summary>One MODNAS run on the synthetic regression gives a whole front of architectures.</summary>
public sealed class ModnasTests(ITestOutputHelper output)
{
    // A block of width 4 costs 72 parameters: costs are in units of about one block.
    private const double CostScale = 100;

    private static ModnasSearch<RegressionModel, RegressionArch> Create(RegressionModel model, int seed, int steps = 400) =>
        new(model, RegressionTask.Mse, [m => RegressionModel.ExpectedParameters(m) / CostScale],
            new ModnasOptions { Steps = steps, WarmupSteps = Math.Min(100, steps - 1), WeightLearningRate = 3e-2, HypernetworkLearningRate = 1e-2, Seed = seed });

    [Fact]
    public void A_preference_sweep_gives_a_front_and_more_weight_on_cost_gives_smaller_architectures()
    {
        using var task = new RegressionTask(1);
        using var model = RegressionModel.Create(1);
        using var search = Create(model, 1);
        search.Run(() => task.Batch(), () => task.Batch());

        using var scope = NewDisposeScope();
        var (x, y) = task.Batch(512);
        double[] Evaluate(RegressionArch arch)
        {
            using var s = NewDisposeScope();
            model.Activate(arch);
            return [RegressionTask.Mse(model.forward(x), y).ToDouble(), RegressionModel.CountParameters(arch) / CostScale];
        }

        var preferences = ModnasSearch<RegressionModel, RegressionArch>.EvenPreferences(21);
        var derived = preferences.Select(p => search.Derive(p)).ToList();
        var front = search.Sweep(preferences, Evaluate);
        foreach (var p in front.Points)
            output.WriteLine($"{string.Join("/", p.Preference.Select(v => v.ToString("F2")))}: {p.Architecture} -> loss {p.Objectives[0]:F4}, cost {p.Objectives[1]:F2}{(front.Front.Contains(p) ? " *" : "")}");
        output.WriteLine($"hypervolume {front.Hypervolume:F4} against ({front.Reference[0]:F3}, {front.Reference[1]:F3})");

        Assert.True(front.Front.Count >= 3, $"{front.Front.Count} non-dominated architectures");
        Assert.True(front.Hypervolume > 0);
        var costs = derived.Select(a => RegressionModel.CountParameters(a)).ToList();
        for (int i = 1; i < costs.Count; i++)
            Assert.True(costs[i] <= costs[i - 1], $"cost weight {preferences[i][1]:F2} gives {derived[i]} ({costs[i]} parameters), larger than {derived[i - 1]} ({costs[i - 1]}) at {preferences[i - 1][1]:F2}");
        Assert.True(costs[^1] < costs[0]);
    }

    [Fact]
    public void Bad_preferences_are_refused_with_clear_messages()
    {
        using var model = RegressionModel.Create(2);
        using var search = Create(model, 2, steps: 2);
        var length = Assert.Throws<ArgumentException>(() => search.Derive([1.0, 0.0, 0.0]));
        Assert.Contains("one weight per objective (2", length.Message);
        var negative = Assert.Throws<ArgumentException>(() => search.Derive([1.5, -0.5]));
        Assert.Contains("non-negative; entry 1 is -0.5", negative.Message);
        Assert.Throws<ArgumentException>(() => search.Derive([0.0, 0.0]));
        Assert.Throws<ArgumentException>(() => search.Derive([double.NaN, 1.0]));
        Assert.Equal([0.25, 0.75], search.CheckPreference([1.0, 3.0]));
    }
}
