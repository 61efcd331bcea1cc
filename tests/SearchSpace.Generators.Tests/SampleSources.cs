namespace SearchSpaceDsl.Generators.Tests;

/// <summary>Annotated sources shared by the approved-output, robustness and other generator tests.</summary>
internal static class SampleSources
{
    public const string Arch = """
        using System.Collections.Immutable;
        using SearchSpaceDsl;
        namespace Demo;
        public enum Act { Relu, Gelu }
        [SearchSpace]
        [Constraint(nameof(Fits), "heads must divide the width")]
        public sealed partial class Arch
        {
            [Choice(64, 128)] public partial int Width { get; }
            [Choice(1, 2, 3)] public partial int Layers { get; }
            [Choice(2, 4), PerLayer(nameof(Layers))] public partial ImmutableArray<int> Heads { get; }
            [Choice(0.5, 1.0)] public partial double Dropout { get; }
            [Choice] public partial bool Bias { get; }
            [Choice(Act.Gelu, Act.Relu)] public partial Act Activation { get; }
            private static bool Fits(Arch a) => true;
        }
        """;

    // A record class with init accessors, nested in a static class of the global namespace.
    public const string NestedRecord = """
        using System.Collections.Immutable;
        using SearchSpaceDsl;

        public static partial class Models
        {
            [SearchSpace]
            public partial record class Block
            {
                [Choice(1, 2, 4)] public partial int Depth { get; init; }
                [Choice(0.0, 0.1, 0.25), PerLayer(nameof(Depth))] public partial ImmutableArray<double> Dropout { get; init; }
                [Choice(true, false)] public partial bool Residual { get; init; }
            }
        }
        """;

    // Bare [Choice] on an enum (with an alias that must not become a second choice) and on a bool.
    public const string BareEnum = """
        using SearchSpaceDsl;
        namespace Demo.Enums;
        public enum Norm { LayerNorm, RmsNorm, None = 7, Default = LayerNorm }
        [SearchSpace]
        internal sealed partial class Small
        {
            [Choice] public partial Norm Norm { get; }
            [Choice] public partial bool Bias { get; }
        }
        """;

    // An unsealed class: keyword-named choices (parameters need '@'), an internal per-layer choice with 'private init'.
    public const string Unsealed = """
        using System.Collections.Immutable;
        using SearchSpaceDsl;
        namespace Demo.Open;
        public enum Kind { A, B, C }
        [SearchSpace]
        public partial class Layered
        {
            [Choice(0, 1, 2)] public partial int Class { get; }
            [Choice(8, 16), PerLayer(nameof(Class))] internal partial ImmutableArray<int> Event { get; private init; }
            [Choice(Kind.C, Kind.A), PerLayer(nameof(Class))] public partial ImmutableArray<Kind> Kinds { get; }
        }
        """;
}
