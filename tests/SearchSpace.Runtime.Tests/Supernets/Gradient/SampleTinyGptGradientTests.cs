using SearchSpaceDsl.Supernets.Gradient;
using SearchSpaceDsl.Supernets.Training;
using SearchSpaceDsl.Tests.Supernets.Training;
using TinyGpt;

namespace SearchSpaceDsl.Tests.Supernets.Gradient;

/// <summary>The sample's own model mixes its depth, so every mode of gradient-based search runs on it.</summary>
public sealed class SampleTinyGptGradientTests
{
    [Theory]
    [InlineData("DARTS")]
    [InlineData("GDAS")]
    [InlineData("DrNAS")]
    public void Gradient_search_runs_on_the_sample_model_and_derives_a_member(string mode)
    {
        using var model = new TinyGptModel();
        var options = new GradientSearchOptions
        {
            Mode = mode switch
            {
                "DARTS" => MixingMode.Darts(),
                "GDAS" => MixingMode.Gdas(new TemperatureSchedule(2, 0.5)),
                _ => MixingMode.DrNas(),
            },
            Steps = 3,
            WarmupSteps = 1,
            Seed = 1,
        };
        using var search = new GradientSearch<TinyGptModel, TinyGptArchitecture>(model, SupernetLosses.CrossEntropy, options);
        var seed = 0;
        var result = search.Run(
            () => TrainingTestHelpers.RandomBatch(TinyGptModel.Vocab, 2, 16, seed++),
            () => TrainingTestHelpers.RandomBatch(TinyGptModel.Vocab, 2, 16, 1000 + seed++));
        Assert.True(TinyGptArchitecture.Space.IsValid(result.Architecture), result.Architecture.ToString());
        Assert.Equal(3, result.History.Records.Count);
        Assert.All(result.History.Records.Skip(1), r => Assert.True(double.IsFinite(r.ValidLoss)));
        Assert.Equal(TinyGptArchitecture.Space.Largest, model.Active);
    }
}
