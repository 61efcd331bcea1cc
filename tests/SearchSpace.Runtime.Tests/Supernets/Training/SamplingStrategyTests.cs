using SearchSpaceDsl.Supernets.Training;

namespace SearchSpaceDsl.Tests.Supernets.Training;

public sealed class SamplingStrategyTests
{
    private static readonly SearchSpace<TinyLmArch> Space = TinyLmArch.Space;

    [Fact]
    public void Sandwich_gives_largest_then_smallest_then_k_valid_samples()
    {
        var strategy = new SandwichSampling<TinyLmArch>(randomCount: 3);
        var random = new Random(5);
        for (var step = 0; step < 20; step++)
        {
            var architectures = strategy.ArchitecturesFor(step, random);
            Assert.Equal(5, architectures.Count);
            Assert.Equal(Space.Largest, architectures[0]);
            Assert.Equal(Space.Smallest, architectures[1]);
            Assert.All(architectures, a => Assert.True(Space.IsValid(a), a.ToString()));
        }
        Assert.Equal(new TinyLmArch(16, 2, [32, 32]), Space.Largest);
        Assert.Equal(new TinyLmArch(8, 1, [16]), Space.Smallest);
        Assert.Equal([Space.Largest, Space.Smallest], new SandwichSampling<TinyLmArch>(0).ArchitecturesFor(0, new Random(1)));
        Assert.Equal(2, new SandwichSampling<TinyLmArch>().RandomCount);
    }

    [Fact]
    public void Sampling_is_deterministic_per_seed_and_covers_the_space()
    {
        ISamplingStrategy<TinyLmArch>[] strategies = [new SandwichSampling<TinyLmArch>(2), new RandomSampling<TinyLmArch>(3)];
        foreach (var strategy in strategies)
        {
            var first = Draw(strategy, seed: 11);
            Assert.Equal(first, Draw(strategy, seed: 11));
            Assert.NotEqual(first, Draw(strategy, seed: 12));
        }

        // 200 draws of 3 cover all 12 members of the space.
        var seen = Draw(new RandomSampling<TinyLmArch>(3), seed: 1).ToHashSet();
        Assert.Equal(12, (int)Space.Cardinality);
        Assert.Equal(Space.Enumerate().ToHashSet(), seen);

        static List<TinyLmArch> Draw(ISamplingStrategy<TinyLmArch> strategy, int seed)
        {
            var random = new Random(seed);
            return Enumerable.Range(0, 200).SelectMany(step => strategy.ArchitecturesFor(step, random)).ToList();
        }
    }

    [Fact]
    public void Random_gives_count_valid_samples()
    {
        var strategy = new RandomSampling<TinyLmArch>(4);
        var architectures = strategy.ArchitecturesFor(0, new Random(3));
        Assert.Equal(4, architectures.Count);
        Assert.All(architectures, a => Assert.True(Space.IsValid(a)));
        Assert.Single(new RandomSampling<TinyLmArch>().ArchitecturesFor(7, new Random(3)));
    }

    [Fact]
    public void Fixed_always_gives_its_architecture_and_draws_nothing()
    {
        var architecture = new TinyLmArch(8, 2, [32, 16]);
        var strategy = new FixedSampling<TinyLmArch>(architecture);
        var random = new Random(9);
        for (var step = 0; step < 5; step++)
            Assert.Equal([architecture], strategy.ArchitecturesFor(step, random));
        Assert.Equal(new Random(9).Next(), random.Next());
    }

    [Fact]
    public void Bad_arguments_are_named()
    {
        var count = Assert.Throws<ArgumentOutOfRangeException>(() => new RandomSampling<TinyLmArch>(0));
        Assert.Equal("count", count.ParamName);
        Assert.Contains("at least 1", count.Message);

        var randomCount = Assert.Throws<ArgumentOutOfRangeException>(() => new SandwichSampling<TinyLmArch>(-1));
        Assert.Equal("randomCount", randomCount.ParamName);
        Assert.Contains("got -1", randomCount.Message);

        var invalid = Assert.Throws<ArgumentException>(() => new FixedSampling<TinyLmArch>(new TinyLmArch(12, 1, [16])));
        Assert.Equal("architecture", invalid.ParamName);
        Assert.Contains("Width", invalid.Message);
        Assert.Throws<ArgumentNullException>(() => new FixedSampling<TinyLmArch>(null!));

        ISamplingStrategy<TinyLmArch>[] strategies =
            [new RandomSampling<TinyLmArch>(), new SandwichSampling<TinyLmArch>(), new FixedSampling<TinyLmArch>(Space.Smallest)];
        foreach (var strategy in strategies)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => strategy.ArchitecturesFor(-1, new Random(0)));
            Assert.Throws<ArgumentNullException>(() => strategy.ArchitecturesFor(0, null!));
        }
    }
}
