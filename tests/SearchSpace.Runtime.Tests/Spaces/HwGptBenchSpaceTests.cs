using System.Numerics;
using SearchSpaceDsl.Zoo;

namespace SearchSpaceDsl.Tests.Spaces;

public sealed class HwGptBenchSpaceTests
{
    // E choices · bias choices · Σ over depths L of (MLP ratios · heads)^L.
    private static BigInteger Expected(int firstDepth) =>
        3 * 2 * Enumerable.Range(firstDepth, 3).Aggregate(BigInteger.Zero, (sum, depth) => sum + BigInteger.Pow(9, depth));

    [Fact]
    public void Cardinalities_count_effective_architectures_exactly()
    {
        Assert.Equal(BigInteger.Parse("1903784282946"), HwGptBenchS.Space.Cardinality);
        Assert.Equal(Expected(10), HwGptBenchS.Space.Cardinality);
        Assert.Equal(Expected(22), HwGptBenchM.Space.Cardinality);
        Assert.Equal(Expected(34), HwGptBenchL.Space.Cardinality);
    }

    [Fact]
    public void Ordinal_encoding_is_the_benchmark_layout()
    {
        var arch = new HwGptBenchS(384, 10, [2, 3, 4, 2, 3, 4, 2, 3, 4, 2], [4, 8, 12, 4, 8, 12, 4, 8, 12, 4], bias: false);
        double[] expected =
        [
            384, 10,
            2, 3, 4, 2, 3, 4, 2, 3, 4, 2, 0, 0,
            4, 8, 12, 4, 8, 12, 4, 8, 12, 4, 0, 0,
            0,
        ];
        Assert.Equal(expected, HwGptBenchS.Space.Encode(arch));
        Assert.Equal(arch, HwGptBenchS.Space.Decode(expected));
    }

    [Fact]
    public void Samples_of_the_large_space_round_trip_through_every_form()
    {
        var space = HwGptBenchL.Space;
        var random = new Random(7);
        for (int i = 0; i < 500; i++)
        {
            var arch = space.Sample(random);
            Assert.True(space.IsValid(arch));
            Assert.Equal(arch.Layers, arch.Heads.Length);
            Assert.Equal(arch.Layers, arch.MlpRatio.Length);
            Assert.Equal(arch, HwGptBenchL.Parse(arch.ToString()));
            Assert.Equal(arch, space.Decode(space.Encode(arch, EncodingKind.OneHot), EncodingKind.OneHot));
            Assert.True(space.IsValid(space.Mutate(arch, random)));
        }
    }

    [Fact]
    public void Depths_are_sampled_in_proportion_to_their_layer_combinations()
    {
        // 9^10 : 9^11 : 9^12, so depth 12 holds 81/91 of the space and depth 10 holds 1/91.
        var random = new Random(11);
        int n = 20_000;
        var counts = Enumerable.Range(0, n).Select(_ => HwGptBenchS.Space.Sample(random).Layers).GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        Assert.InRange(counts[12] / (double)n, 81 / 91.0 - 0.01, 81 / 91.0 + 0.01);
        Assert.InRange(counts.GetValueOrDefault(10) / (double)n, 1 / 91.0 - 0.004, 1 / 91.0 + 0.004);
    }

    [Fact]
    public void Largest_and_smallest_are_the_extreme_models()
    {
        var largest = HwGptBenchS.Space.Largest;
        Assert.Equal(768, largest.EmbedDim);
        Assert.Equal(12, largest.Layers);
        Assert.All(largest.Heads, h => Assert.Equal(12, h));
        Assert.All(largest.MlpRatio, r => Assert.Equal(4, r));
        Assert.True(largest.Bias);

        var smallest = HwGptBenchS.Space.Smallest;
        Assert.Equal("EmbedDim=192, Layers=10, MlpRatio=[2, 2, 2, 2, 2, 2, 2, 2, 2, 2], Heads=[4, 4, 4, 4, 4, 4, 4, 4, 4, 4], Bias=false", smallest.ToString());
    }

    [Fact]
    public void Description_exposes_dimensions_and_links_without_reflection()
    {
        var description = HwGptBenchS.Space.Description;
        Assert.Equal(["EmbedDim", "Layers", "MlpRatio", "Heads", "Bias"], description.Dimensions.Select(d => d.Name));
        var heads = description["Heads"];
        Assert.True(heads.IsPerLayer);
        Assert.Same(description["Layers"], heads.Depth);
        Assert.True(description["Layers"].IsDepth);
        Assert.Equal(12, heads.Slots);
        Assert.Equal([4, 8, 12], heads.Choices.Cast<int>());
        Assert.Equal(ChoiceKind.Bool, description["Bias"].Kind);
        Assert.Equal(27, description.EncodingLength(EncodingKind.Ordinal));
        Assert.Equal(3 + 3 + 12 * 3 + 12 * 3 + 2, description.EncodingLength(EncodingKind.OneHot));
    }
}
