using System.Collections.Immutable;

namespace SearchSpaceDsl.Tests.Supernets.Models;

/// <summary>The space of <see cref="TinyGptModel"/>: 2 · (2·2 + 4·4 + 8·8 layer combinations) · 2 = 336 members.</summary>
[SearchSpace]
public sealed partial class TinyGptArchitecture
{
    [Choice(16, 24)] public partial int EmbedDim { get; }
    [Choice(1, 2, 3)] public partial int Layers { get; }
    [Choice(1, 2), PerLayer(nameof(Layers))] public partial ImmutableArray<int> Heads { get; }
    [Choice(2, 4), PerLayer(nameof(Layers))] public partial ImmutableArray<int> MlpRatio { get; }
    [Choice(true, false)] public partial bool Bias { get; }
}
