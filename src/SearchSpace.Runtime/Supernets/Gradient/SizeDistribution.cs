using System.Collections.Immutable;
using TorchSharp;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Supernets.Gradient;

/// <summary>
/// A distribution over the sizes one layer dimension can take under an architecture mixture: option sizes
/// <c>k₁ … kₙ</c> and their (differentiable) weights <c>α₁ … αₙ</c>. A layer turns it into a mask over its max size,
/// <c>mask[j] = Σ_{i: kᵢ &gt; j} αᵢ</c>, so that <c>W ⊙ mask = Σ αᵢ · zero-pad(W[:kᵢ])</c> in one forward.
/// </summary>
/// <remarks>
/// A constant (a size fixed by the declaration, or a choice with one option) has no weight tensor. The weight tensor is
/// the caller's (usually created in the dispose scope of one search step); the distribution does not own it.
/// </remarks>
public sealed class SizeDistribution
{
    private SizeDistribution(ImmutableArray<int> values, Tensor? weights, ImmutableArray<SizeFactor> factors = default)
    {
        Values = values;
        Weights = weights;
        Factors = factors.IsDefault ? [new SizeFactor(null, values, weights)] : factors;
    }

    /// <summary>
    /// The independent factors whose product this size is (one for a plain size, two for <c>ratio · dim</c>); a factor
    /// read from a mixture carries its gene position as key, so that an expectation over several sizes that share a choice
    /// (a width and a hidden width <c>ratio · width</c>) enumerates that choice once.
    /// </summary>
    internal ImmutableArray<SizeFactor> Factors { get; }

    /// <summary>The option sizes in option order (not necessarily ascending; bias switches use 0 and 1).</summary>
    public ImmutableArray<int> Values { get; }

    /// <summary>The weight of each option, a vector of <see cref="Values"/>' length; null for a constant.</summary>
    public Tensor? Weights { get; }

    /// <summary>Whether the size is fixed: one value with weight 1.</summary>
    public bool IsConstant => Weights is null;

    /// <summary>The largest option size.</summary>
    public int Max => Values.Max();

    /// <summary>A fixed size.</summary>
    public static SizeDistribution Constant(int value) => new([value], null);

    /// <summary>A fixed bias switch: 1 when on, 0 when off.</summary>
    public static SizeDistribution Switch(bool on) => Constant(on ? 1 : 0);

    /// <summary>Options <paramref name="values"/> weighted by <paramref name="weights"/> (a vector of the same length).</summary>
    /// <exception cref="ArgumentException">The lengths differ, there is no option, or the weights are not a vector.</exception>
    public static SizeDistribution Of(IReadOnlyList<int> values, Tensor weights)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(weights);
        if (values.Count == 0)
            throw new ArgumentException("A size distribution needs at least one option.", nameof(values));
        if (weights.dim() != 1 || weights.size(0) != values.Count)
            throw new ArgumentException(
                $"The weights must be a vector of {values.Count} entries (one per option), got shape [{string.Join(", ", weights.shape)}].",
                nameof(weights));
        return new([.. values], weights);
    }

    /// <summary>Like <see cref="Of"/>, for the choice at gene position <paramref name="key"/> (shared by every size that reads it).</summary>
    internal static SizeDistribution OfChoice(string key, IReadOnlyList<int> values, Tensor weights)
    {
        var plain = Of(values, weights);
        return new(plain.Values, weights, [new SizeFactor(key, plain.Values, weights)]);
    }

    /// <summary>
    /// The distribution of the product of two independent sizes (e.g. a hidden width <c>ratio · dim</c>): every pair of
    /// options, weighted by the product of their weights.
    /// </summary>
    public static SizeDistribution Product(SizeDistribution first, SizeDistribution second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var values = ImmutableArray.CreateBuilder<int>(first.Values.Length * second.Values.Length);
        foreach (int a in first.Values)
            foreach (int b in second.Values)
                values.Add(checked(a * b));
        Tensor? weights = (first.Weights, second.Weights) switch
        {
            (null, null) => null,
            (null, { } w) => w,
            ({ } w, null) => w,
            ({ } a, { } b) => a.unsqueeze(1).mul(b.unsqueeze(0)).reshape(-1),
        };
        return new(values.MoveToImmutable(), weights, first.Factors.AddRange(second.Factors));
    }

    /// <summary>
    /// The mask <c>mask[j] = Σ_{i: kᵢ &gt; j} αᵢ</c> over <c>[0, max)</c> in <paramref name="dtype"/> on
    /// <paramref name="device"/>, or null when every option covers the whole max size with weight 1 (no masking needed).
    /// </summary>
    /// <param name="max">The layer's max size along this dimension.</param>
    /// <param name="dtype">The element type of the weights the mask multiplies.</param>
    /// <param name="device">The device of those weights.</param>
    /// <param name="layer">The layer's name, for the error message.</param>
    /// <param name="what">What the size is (e.g. "output features"), for the error message.</param>
    /// <exception cref="ArgumentException">An option is larger than <paramref name="max"/> or below 0.</exception>
    public Tensor? Mask(int max, ScalarType dtype, Device device, string layer, string what)
    {
        foreach (int value in Values)
        {
            if (value < 0 || value > max)
                throw new ArgumentException(
                    $"Layer '{layer}': the mixture has an option of {value} {what}, outside [0, {max}]: build the supernet with a capacity that holds every option (the space's largest architecture).");
        }
        if (Weights is null)
        {
            if (Values[0] == max)
                return null;
            using var steps = arange(max, dtype: ScalarType.Int64, device: device);
            using var below = steps.lt(Values[0]);
            return below.to_type(dtype);
        }
        using var columns = arange(max, dtype: ScalarType.Int64, device: device);
        using var sizes = tensor(Values.Select(v => (long)v).ToArray(), device: device);
        using var covers = sizes.unsqueeze(1).gt(columns.unsqueeze(0));
        using var indicator = covers.to_type(dtype);
        using var w = Weights.to(dtype, device);
        return w.matmul(indicator);
    }

    /// <summary>The expected size <c>Σ αᵢ kᵢ</c> (for a bias switch: the probability that it is on), a scalar tensor.</summary>
    /// <param name="dtype">The element type of the result.</param>
    /// <param name="device">The device of the result.</param>
    public Tensor Expected(ScalarType dtype, Device device)
    {
        if (Weights is null)
            return tensor((double)Values[0], dtype: dtype, device: device);
        using var sizes = tensor(Values.Select(v => (double)v).ToArray(), dtype: dtype, device: device);
        using var w = Weights.to(dtype, device);
        return w.dot(sizes);
    }

    /// <inheritdoc />
    public override string ToString() =>
        IsConstant ? $"{Values[0]}" : "{" + string.Join(", ", Values) + "} mixed";
}

/// <summary>One independent factor of a size: its key (a gene position, or null when anonymous), values and weights.</summary>
internal sealed record SizeFactor(string? Key, ImmutableArray<int> Values, Tensor? Weights);
