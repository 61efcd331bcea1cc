using System.Collections.Immutable;

namespace SearchSpaceDsl.Tests.Supernets.Models;

/// <summary>
/// The space of <see cref="GroupedGptModel"/>: grouped-query attention with a chosen number of key/value groups and
/// head size, and absolute per-layer MLP widths. The constraint keeps at most two query heads per group, which is what
/// the largest member (2 groups, 4 heads) holds.
/// </summary>
[SearchSpace]
[Constraint(nameof(GroupsFit), "each layer's heads must be KvGroups or 2·KvGroups")]
public sealed partial class GroupedGptArchitecture
{
    [Choice(16, 24)] public partial int EmbedDim { get; }
    [Choice(1, 2)] public partial int Layers { get; }
    [Choice(1, 2)] public partial int KvGroups { get; }
    [Choice(2, 4), PerLayer(nameof(Layers))] public partial ImmutableArray<int> Heads { get; }
    [Choice(4, 8)] public partial int HeadSize { get; }
    [Choice(32, 48), PerLayer(nameof(Layers))] public partial ImmutableArray<int> Hidden { get; }
    [Choice(true, false)] public partial bool Bias { get; }

    private static bool GroupsFit(GroupedGptArchitecture a)
    {
        foreach (var heads in a.Heads)
        {
            if (heads % a.KvGroups != 0 || heads / a.KvGroups > 2)
                return false;
        }
        return true;
    }
}
