using System.Collections.Immutable;
using SearchSpaceDsl;

namespace TinyGpt;

/// <summary>
/// A character-level GPT small enough to train on 2 CPU cores: heads of size 16, GELU MLP, LayerNorm, tied embedding.
/// Every member is a sub-network of the largest one (128 wide, 4 blocks of 8 heads with 4× MLPs).
/// </summary>
[SearchSpace]
[Constraint(nameof(HeadsFitWidth), "the heads of a layer (16 dimensions each) must not be wider than the embedding")]
public sealed partial class TinyGptArchitecture
{
    /// <summary>The head size, fixed as in HW-GPT-Bench.</summary>
    public const int HeadSize = 16;

    /// <summary>Embedding width.</summary>
    [Choice(64, 96, 128)] public partial int EmbedDim { get; }

    /// <summary>Number of transformer blocks.</summary>
    [Choice(2, 3, 4)] public partial int Layers { get; }

    /// <summary>Attention heads per layer.</summary>
    [Choice(2, 4, 8), PerLayer(nameof(Layers))] public partial ImmutableArray<int> Heads { get; }

    /// <summary>MLP hidden width as a multiple of the embedding width, per layer.</summary>
    [Choice(2, 3, 4), PerLayer(nameof(Layers))] public partial ImmutableArray<int> MlpRatio { get; }

    /// <summary>Whether linear layers have a bias.</summary>
    [Choice(true, false)] public partial bool Bias { get; }

    // A plain loop: constraints run on every Activate, which must not allocate (LINQ would box the enumerator).
    private static bool HeadsFitWidth(TinyGptArchitecture a)
    {
        foreach (int heads in a.Heads)
        {
            if (heads * HeadSize > a.EmbedDim)
                return false;
        }
        return true;
    }
}
