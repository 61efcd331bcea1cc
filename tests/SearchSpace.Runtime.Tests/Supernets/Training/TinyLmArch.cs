using System.Collections.Immutable;

namespace SearchSpaceDsl.Tests.Supernets.Training;

/// <summary>
/// The space of <see cref="TinyLmModel"/>: a width, one or two residual MLP blocks, and each block's hidden width;
/// 2 · (2 + 4) = 12 members.
/// </summary>
[SearchSpace]
public sealed partial class TinyLmArch
{
    [Choice(8, 16)] public partial int Width { get; }
    [Choice(1, 2)] public partial int Layers { get; }
    [Choice(16, 32), PerLayer(nameof(Layers))] public partial ImmutableArray<int> Hidden { get; }
}
