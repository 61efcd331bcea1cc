using System.Diagnostics;
using SearchSpaceDsl.Data;
using SearchSpaceDsl.Supernets.Training;
using Xunit.Abstractions;

namespace SearchSpaceDsl.Tests.Supernets.Training;

public sealed class SandwichTrainingTests(ITestOutputHelper output)
{
    private static readonly string MobyDick = Path.Combine(AppContext.BaseDirectory, "data", "moby-dick.txt");

    [Fact]
    [Trait("Category", "Slow")]
    public void Sandwich_training_lowers_the_validation_loss_of_the_largest_and_the_smallest()
    {
        // The first 20,000 characters, as ids of the whole text's vocabulary (the model's Vocab), 90 % train, 10 % validation.
        var text = File.ReadAllText(MobyDick);
        var vocabulary = new CharacterVocabulary(text);
        Assert.Equal(TinyLmModel.Vocab, vocabulary.Size);
        var ids = vocabulary.Encode(text[..20_000]);
        Assert.All(ids, id => Assert.InRange(id, 0, TinyLmModel.Vocab - 1));
        int[] train = ids[..18_000], validation = ids[18_000..];

        var space = TinyLmArch.Space;
        var model = TinyLmModel.Create(seed: 0);
        var options = new SupernetTrainingOptions { LearningRate = 1e-2, Steps = 300, BatchSize = 16, Context = 32, Seed = 0 };
        using var trainer = new SupernetTrainer<TinyLmModel, TinyLmArch>(model, options, new SandwichSampling<TinyLmArch>(2));
        TinyLmArch[] watched = [space.Largest, space.Smallest, new TinyLmArch(16, 1, [16]), new TinyLmArch(8, 2, [32, 16])];
        var before = watched.Select(a => trainer.Evaluate(a, validation)).ToArray();

        var clock = Stopwatch.StartNew();
        var history = trainer.Train(train);
        clock.Stop();
        var after = watched.Select(a => trainer.Evaluate(a, validation)).ToArray();

        output.WriteLine($"{options.Steps} sandwich steps in {clock.Elapsed.TotalSeconds:F1} s; training loss {history[0]:F3} -> {history[^1]:F3}");
        for (var i = 0; i < watched.Length; i++)
            output.WriteLine($"{watched[i]}: validation loss {before[i].Loss:F3} -> {after[i].Loss:F3} (perplexity {before[i].Perplexity:F1} -> {after[i].Perplexity:F1}, {after[i].Tokens} tokens)");

        Assert.Equal(300, history.Count);
        for (var i = 0; i < watched.Length; i++)
        {
            Assert.True(after[i].Loss < 0.85 * before[i].Loss,
                $"{watched[i]}: validation loss {before[i].Loss:F3} -> {after[i].Loss:F3}, expected at least 15% lower");
        }
    }
}
