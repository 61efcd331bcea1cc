using System.Collections.Immutable;

namespace SearchSpaceDsl.Tests.Spaces;

public enum Activation { Relu, Gelu, Swish }

/// <summary>Every kind of choice, small enough to enumerate: 2 · 2 · 2 · (1 + 6 + 36) = 344 members.</summary>
[SearchSpace]
public sealed partial class TinySpace
{
    [Choice(16, 32)] public partial int Width { get; }
    [Choice(0, 1, 2)] public partial int Depth { get; }
    [Choice(1, 2, 4), PerLayer(nameof(Depth))] public partial ImmutableArray<int> Heads { get; }
    [Choice(0.5, 1.0), PerLayer(nameof(Depth))] public partial ImmutableArray<double> Ratio { get; }
    [Choice] public partial bool Bias { get; }
    [Choice(Activation.Gelu, Activation.Relu)] public partial Activation Act { get; }
}

/// <summary>A constraint between choices: 48 members before it, 36 after.</summary>
[SearchSpace]
[Constraint(nameof(HeadsDivideWidth), "every layer's heads must divide the width")]
public sealed partial class ConstrainedSpace
{
    [Choice(24, 32)] public partial int Width { get; }
    [Choice(1, 2)] public partial int Layers { get; }
    [Choice(3, 4, 8), PerLayer(nameof(Layers))] public partial ImmutableArray<int> Heads { get; }
    [Choice(true, false)] public partial bool Bias { get; }

    private static bool HeadsDivideWidth(ConstrainedSpace a) => a.Heads.All(h => a.Width % h == 0);
}

public static partial class Nested
{
    /// <summary>A record class nested in a static class, with init accessors and two depths.</summary>
    [SearchSpace]
    public partial record RecordSpace
    {
        [Choice(1, 2)] public partial int Encoder { get; init; }
        [Choice(0, 1)] public partial int Decoder { get; init; }
        [Choice(8, 16), PerLayer(nameof(Encoder))] public partial ImmutableArray<int> EncoderWidth { get; init; }
        [Choice(Activation.Relu, Activation.Swish), PerLayer(nameof(Decoder))] public partial ImmutableArray<Activation> DecoderAct { get; init; }
    }
}
