using SearchSpaceDsl.Supernets;
using TorchSharp;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets.Models;

/// <summary>
/// The supernet the generator writes for <see cref="GroupedGptModel"/>: grouped-query attention with chosen groups and
/// head size (gathered slices), RMSNorm, absolute MLP widths and an untied linear head.
/// </summary>
public sealed class GroupedGptModelTests
{
    private static readonly GroupedGptArchitecture Small = new(16, 1, 1, [2], 4, [32], false);
    private static readonly GroupedGptArchitecture Large = GroupedGptArchitecture.Space.Largest;

    [Fact]
    public void Fifty_sampled_architectures_match_their_extracted_models()
    {
        using var model = new GroupedGptModel();
        GeneratedSupernetAssert.EverySampledArchitecture<GroupedGptModel, GroupedGptArchitecture>(
            model, GroupedGptModel.Vocab, count: 50, seed: 5, GroupedGptModel.CountParameters);
    }

    [Fact]
    public void Counts_equal_hand_counts()
    {
        // Small (d 16, 1 group, 2 heads of 4, hidden 32, no bias): tokens 20·16 = 320, two RMSNorms 16 each + final 16,
        // attention query 8·16 + key 4·16 + value 4·16 + output 16·8 = 384, MLP 2·16·32 = 1024, head 16·20 = 320.
        Assert.Equal(320 + 3 * 16 + 384 + 1024 + 320, GroupedGptModel.CountParameters(Small));
        // FLOPs, context 4: RMSNorms 4·16 = 64 each (192); attention projections 2·16·8 + 2·2·16·4 + 2·8·16 = 768,
        // scores 2·4·8 = 64, softmax 2·5·4 = 40, values 64 → 936; MLP 2·16·32 + 5·32 + 2·32·16 = 2208; head 2·16·20 = 640.
        Assert.Equal(192 + 936 + 2208 + 640, GroupedGptModel.CountFlopsPerToken(Small, context: 4));
    }

    [Fact]
    public void Activate_allocates_nothing()
    {
        using var model = new GroupedGptModel();
        Assert.Equal(0, GeneratedSupernetAssert.ActivationAllocations(model, Small, Large));
    }

    [Fact]
    public void Groups_beyond_the_capacity_are_refused_naming_the_dimensions()
    {
        // A capacity of one group cannot run two; a capacity of two groups of one query head cannot run one group of two.
        using var oneGroup = new GroupedGptModel(new GroupedGptArchitecture(24, 2, 1, [2, 2], 8, [48, 48], true));
        var groups = Assert.Throws<ArgumentException>(() => oneGroup.Activate(new GroupedGptArchitecture(24, 1, 2, [2], 8, [48], true)));
        Assert.Contains("KvGroups = 2 exceeds the capacity's 1", groups.Message);

        using var twoGroups = new GroupedGptModel(new GroupedGptArchitecture(24, 1, 2, [2], 8, [48], true));
        var perGroup = Assert.Throws<ArgumentException>(() => twoGroups.Activate(new GroupedGptArchitecture(24, 1, 1, [2], 8, [48], true)));
        Assert.Contains("Heads[0] / KvGroups = 2 query heads per group exceeds the capacity's 1 in layer 'attention.0'", perGroup.Message);
    }
}
