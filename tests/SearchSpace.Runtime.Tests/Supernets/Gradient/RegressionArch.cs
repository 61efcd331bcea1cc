using System.Collections.Immutable;

namespace SearchSpaceDsl.Tests.Supernets.Gradient;

/// <summary>
/// The space of <see cref="RegressionModel"/>: one to three blocks, each a bottleneck of width 2, 4 or 8; 3 + 9 + 27 = 39
/// members.
/// </summary>
[SearchSpace]
public sealed partial class RegressionArch
{
    [Choice(1, 2, 3)] public partial int Depth { get; }
    [Choice(2, 4, 8), PerLayer(nameof(Depth))] public partial ImmutableArray<int> Width { get; }
}
