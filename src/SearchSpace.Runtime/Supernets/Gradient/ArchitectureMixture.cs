using TorchSharp;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Supernets.Gradient;

/// <summary>
/// The option weights of one forward under gradient-based search: for every gene position of a space (each scalar
/// choice, each layer slot of a per-layer choice; see <see cref="SearchSpaceDescription"/>) a vector of weights over
/// its options (a softmax, a hard Gumbel-softmax sample or a Dirichlet sample), independent across positions. A
/// supernet under <c>Mix(mixture)</c> computes every layer with the mixed weights these imply, and the generated
/// <c>ExpectedParameters</c>/<c>ExpectedFlopsPerToken</c> give the expected cost as a differentiable function of them.
/// </summary>
/// <remarks>
/// The weights are tensors of the step that created them (they carry the autograd graph back to the architecture
/// parameters or the hypernetwork); the mixture does not own them. Use a mixture within the dispose scope it was
/// created in, and clear it from the supernet before that scope ends.
/// </remarks>
public sealed class ArchitectureMixture
{
    private readonly Tensor[] _weights;
    private readonly HashSet<string> _depthsUsed = new(StringComparer.Ordinal);

    /// <summary>Wraps one weight vector per gene position (in gene order).</summary>
    /// <param name="description">The space.</param>
    /// <param name="weights">For gene position <c>g</c>, a vector over the options of the dimension that owns it.</param>
    /// <exception cref="ArgumentException">The number of vectors is not the gene count, or a vector has the wrong length.</exception>
    public ArchitectureMixture(SearchSpaceDescription description, IReadOnlyList<Tensor> weights)
    {
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Count != description.GeneCount)
            throw new ArgumentException($"Search space '{description.Name}' has {description.GeneCount} gene positions; got {weights.Count} weight vectors.", nameof(weights));
        foreach (var dimension in description.Dimensions)
        {
            for (int slot = 0; slot < dimension.Slots; slot++)
            {
                var w = weights[dimension.GeneOffset + slot];
                if (w is null || w.dim() != 1 || w.size(0) != dimension.Count)
                    throw new ArgumentException(
                        $"The weights of '{Position(dimension, slot)}' must be a vector of {dimension.Count} entries, got {(w is null ? "null" : "shape [" + string.Join(", ", w.shape) + "]")}.",
                        nameof(weights));
            }
        }
        Description = description;
        _weights = [.. weights];
    }

    /// <summary>The space.</summary>
    public SearchSpaceDescription Description { get; }

    /// <summary>The weight vectors in gene order.</summary>
    public IReadOnlyList<Tensor> Weights => _weights;

    /// <summary>The weights of a dimension's options at a layer slot (<paramref name="slot"/> -1 or 0 for a scalar choice).</summary>
    /// <exception cref="KeyNotFoundException">There is no such dimension.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The slot is outside the dimension's slots.</exception>
    public Tensor WeightsOf(string dimension, int slot = -1) => _weights[GenePosition(Description[dimension], slot)];

    /// <summary>
    /// The distribution of a layer size a dimension sets: its options' ordinal values (bias switches 0/1) with their
    /// weights. Generated supernets call this to mix their layers.
    /// </summary>
    /// <param name="dimension">The dimension's name.</param>
    /// <param name="slot">The layer index for a per-layer choice; -1 for a scalar choice.</param>
    public SizeDistribution Size(string dimension, int slot)
    {
        var d = Description[dimension];
        var values = d.Ordinals.Select(v => (int)v).ToArray();
        int position = GenePosition(d, slot);
        return SizeDistribution.OfChoice(position.ToString(System.Globalization.CultureInfo.InvariantCulture), values, _weights[position]);
    }

    /// <summary>The largest value of a depth dimension: how many layers a mixed forward runs.</summary>
    public int MaxDepth(string depth) => (int)Description[depth].Ordinals.Max();

    /// <summary>
    /// The probability that a depth dimension keeps layer <paramref name="layer"/> (0-based):
    /// <c>Σ_{i: Lᵢ &gt; layer} αᵢ</c>, a scalar tensor. Expected costs weight each per-layer term by it.
    /// </summary>
    public Tensor Survival(string depth, int layer)
    {
        var d = Description[depth];
        var w = _weights[d.GeneOffset];
        var keep = d.Ordinals.Select(v => v > layer ? 1.0 : 0.0).ToArray();
        using var mask = tensor(keep, dtype: w.dtype, device: w.device);
        return w.dot(mask);
    }

    /// <summary>Records that a forward consumed the depth mixture of <paramref name="depth"/> (see <see cref="DepthMixing"/>).</summary>
    internal void MarkDepthUsed(string depth) => _depthsUsed.Add(depth);

    /// <summary>
    /// Throws unless every depth dimension with several options was consumed by a forward through
    /// <see cref="DepthMixing.Begin"/>: otherwise the forward ran every layer and the depth weights would get no gradient.
    /// </summary>
    /// <param name="model">The model's name, for the message.</param>
    /// <exception cref="InvalidOperationException">A depth was not consumed.</exception>
    public void EnsureDepthsUsed(string model)
    {
        foreach (var d in Description.ScalarDimensions)
        {
            if (d.IsDepth && d.Count > 1 && !_depthsUsed.Contains(d.Name))
                throw new InvalidOperationException(
                    $"The forward of '{model}' does not mix the depth '{d.Name}': under a mixture it must run its blocks through "
                    + $"DepthMixing.Begin(Mixture, nameof({Description.Name}.{d.Name}), Active.{d.Name}, x) (see docs/GRADIENT_NAS.md); "
                    + "otherwise every layer runs and the depth gets no gradient.");
        }
    }

    private static int GenePosition(Dimension d, int slot)
    {
        if (!d.IsPerLayer)
        {
            if (slot is not (-1 or 0))
                throw new ArgumentOutOfRangeException(nameof(slot), slot, $"'{d.Name}' is a scalar choice: use slot -1.");
            return d.GeneOffset;
        }
        if (slot < 0 || slot >= d.Slots)
            throw new ArgumentOutOfRangeException(nameof(slot), slot, $"'{d.Name}' has layer slots 0 … {d.Slots - 1}.");
        return d.GeneOffset + slot;
    }

    internal static string Position(Dimension d, int slot) => d.IsPerLayer ? $"{d.Name}[{slot}]" : d.Name;
}
