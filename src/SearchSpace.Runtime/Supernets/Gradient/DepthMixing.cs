using static TorchSharp.torch;

namespace SearchSpaceDsl.Supernets.Gradient;

/// <summary>
/// Runs a stack of blocks so that it also computes a depth mixture: with no mixture it runs the active depth's
/// blocks and returns the last output; under a mixture it runs the largest depth once and returns
/// <c>Σ_L β_L · x_L</c>, the outputs after each depth option <c>L</c> weighted by that option's weight (<c>x₀</c> the
/// input, for a depth option of 0). A model's <c>forward</c> uses it in place of its loop bound:
/// <code>
/// var depth = DepthMixing.Begin(Mixture, nameof(MyArch.Layers), Active.Layers, x);
/// for (int i = 0; i &lt; depth.Count; i++)
///     x = depth.After(i, x + Block[i].forward(x));
/// x = depth.Output(x);
/// </code>
/// </summary>
public sealed class DepthMixing
{
    private readonly Tensor? _weights;
    private readonly int[] _depths;
    private Tensor? _sum;

    private DepthMixing(int count, Tensor? weights, int[] depths)
    {
        Count = count;
        _weights = weights;
        _depths = depths;
    }

    /// <summary>How many blocks to run: the active depth, or the largest depth under a mixture.</summary>
    public int Count { get; }

    /// <summary>Whether the depth is mixed.</summary>
    public bool IsMixed => _weights is not null;

    /// <summary>Starts a stack of blocks.</summary>
    /// <param name="mixture">The supernet's mixture (its <c>Mixture</c> property), or null.</param>
    /// <param name="depth">The depth dimension's name (<c>nameof(MyArch.Layers)</c>).</param>
    /// <param name="activeDepth">The active depth (<c>Active.Layers</c>), used without a mixture.</param>
    /// <param name="input">The input of the first block (<c>x₀</c>).</param>
    public static DepthMixing Begin(ArchitectureMixture? mixture, string depth, int activeDepth, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(depth);
        if (mixture is null)
            return new DepthMixing(activeDepth, null, []);
        var d = mixture.Description[depth];
        if (d.IsPerLayer || d is not Dimension<int>)
            throw new ArgumentException($"'{depth}' is not an int choice of '{mixture.Description.Name}'.", nameof(depth));
        mixture.MarkDepthUsed(depth);
        var depths = d.Ordinals.Select(v => (int)v).ToArray();
        var mixing = new DepthMixing(depths.Max(), mixture.WeightsOf(depth), depths);
        mixing.Accumulate(0, input);
        return mixing;
    }

    /// <summary>Records the output of block <paramref name="block"/> (0-based) and returns it.</summary>
    public Tensor After(int block, Tensor output)
    {
        Accumulate(block + 1, output);
        return output;
    }

    /// <summary>The result of the stack: the last output, or the weighted sum of the outputs at each depth option.</summary>
    /// <param name="last">The output of the last block run.</param>
    public Tensor Output(Tensor last) => _weights is null ? last : _sum ?? last.mul(0);

    private void Accumulate(int layers, Tensor x)
    {
        if (_weights is null)
            return;
        for (int i = 0; i < _depths.Length; i++)
        {
            if (_depths[i] != layers)
                continue;
            var term = x.mul(_weights[i].to(x.dtype));
            _sum = _sum is null ? term : _sum.add(term);
        }
    }
}
