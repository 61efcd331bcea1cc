using System.Collections.Immutable;

namespace SearchSpaceDsl.Zoo;

// The GPT-2 search spaces of HW-GPT-Bench (Sukthanker et al.): head size 64, GELU MLP, LayerNorm, tied embedding.
// Dimensions are declared in the benchmark's encoding order: [E, L, MLP ratios, heads, bias].

/// <summary>HW-GPT-Bench GPT-2 space S: 1,903,784,282,946 architectures.</summary>
[SearchSpace]
public sealed partial class HwGptBenchS
{
    /// <summary>Embedding width, shared by all layers.</summary>
    [Choice(192, 384, 768)] public partial int EmbedDim { get; }

    /// <summary>Number of transformer blocks.</summary>
    [Choice(10, 11, 12)] public partial int Layers { get; }

    /// <summary>MLP hidden width as a multiple of the embedding width, per layer.</summary>
    [Choice(2, 3, 4), PerLayer(nameof(Layers))] public partial ImmutableArray<int> MlpRatio { get; }

    /// <summary>Attention heads of size 64, per layer.</summary>
    [Choice(4, 8, 12), PerLayer(nameof(Layers))] public partial ImmutableArray<int> Heads { get; }

    /// <summary>Whether linear layers have a bias.</summary>
    [Choice(true, false)] public partial bool Bias { get; }
}

/// <summary>HW-GPT-Bench GPT-2 space M.</summary>
[SearchSpace]
public sealed partial class HwGptBenchM
{
    /// <summary>Embedding width, shared by all layers.</summary>
    [Choice(256, 512, 1024)] public partial int EmbedDim { get; }

    /// <summary>Number of transformer blocks.</summary>
    [Choice(22, 23, 24)] public partial int Layers { get; }

    /// <summary>MLP hidden width as a multiple of the embedding width, per layer.</summary>
    [Choice(2, 3, 4), PerLayer(nameof(Layers))] public partial ImmutableArray<int> MlpRatio { get; }

    /// <summary>Attention heads of size 64, per layer.</summary>
    [Choice(8, 12, 16), PerLayer(nameof(Layers))] public partial ImmutableArray<int> Heads { get; }

    /// <summary>Whether linear layers have a bias.</summary>
    [Choice(true, false)] public partial bool Bias { get; }
}

/// <summary>HW-GPT-Bench GPT-2 space L.</summary>
[SearchSpace]
public sealed partial class HwGptBenchL
{
    /// <summary>Embedding width, shared by all layers.</summary>
    [Choice(320, 640, 1280)] public partial int EmbedDim { get; }

    /// <summary>Number of transformer blocks.</summary>
    [Choice(34, 35, 36)] public partial int Layers { get; }

    /// <summary>MLP hidden width as a multiple of the embedding width, per layer.</summary>
    [Choice(2, 3, 4), PerLayer(nameof(Layers))] public partial ImmutableArray<int> MlpRatio { get; }

    /// <summary>Attention heads of size 64, per layer.</summary>
    [Choice(8, 16, 20), PerLayer(nameof(Layers))] public partial ImmutableArray<int> Heads { get; }

    /// <summary>Whether linear layers have a bias.</summary>
    [Choice(true, false)] public partial bool Bias { get; }
}
