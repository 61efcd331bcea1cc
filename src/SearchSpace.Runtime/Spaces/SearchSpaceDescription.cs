using System.Collections.Immutable;
using System.Numerics;

namespace SearchSpaceDsl;

/// <summary>
/// The shape of a search space without generics: its dimensions in declaration order, which per-layer choices
/// follow which depth, the constraints, and the layout of the gene vector (one choice index per scalar
/// dimension, one per layer slot of a per-layer dimension; slots beyond the active depth hold 0).
/// </summary>
public sealed class SearchSpaceDescription
{
    /// <summary>Links the dimensions into a space; per-layer dimensions must name an int dimension as depth.</summary>
    public SearchSpaceDescription(string name, ImmutableArray<Dimension> dimensions, ImmutableArray<ConstraintInfo> constraints = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (dimensions.IsDefaultOrEmpty)
            throw new ArgumentException($"Search space '{name}' has no dimensions.", nameof(dimensions));
        Name = name;
        Dimensions = dimensions;
        Constraints = constraints.IsDefault ? [] : constraints;

        int offset = 0;
        foreach (var dimension in dimensions)
        {
            var depth = dimension.PerLayerOf is { } depthName ? ResolveDepth(dimension, depthName) : null;
            dimension.Bind(offset, depth);
            offset += dimension.Slots;
        }
        GeneCount = offset;
        ScalarDimensions = [.. dimensions.Where(d => !d.IsPerLayer)];
        PerLayerDimensions = [.. dimensions.Where(d => d.IsPerLayer)];
        UnconstrainedCardinality = ScalarDimensions.Aggregate(BigInteger.One, (product, d) => product * Combinations(d));
        _encodingLengths = [dimensions.Sum(d => d.Slots), dimensions.Sum(d => d.Slots * d.Count)];
    }

    private readonly int[] _encodingLengths;

    /// <summary>The name of the architecture type.</summary>
    public string Name { get; }

    /// <summary>Every dimension in declaration order.</summary>
    public ImmutableArray<Dimension> Dimensions { get; }

    /// <summary>The dimensions that hold one value (depths included).</summary>
    public ImmutableArray<Dimension> ScalarDimensions { get; }

    /// <summary>The dimensions that hold one value per active layer.</summary>
    public ImmutableArray<Dimension> PerLayerDimensions { get; }

    /// <summary>The constraints every member satisfies.</summary>
    public ImmutableArray<ConstraintInfo> Constraints { get; }

    /// <summary>The length of the gene vector.</summary>
    public int GeneCount { get; }

    /// <summary>The number of effective architectures before constraints: layers beyond the depth do not count.</summary>
    public BigInteger UnconstrainedCardinality { get; }

    /// <summary>The dimension with this name.</summary>
    public Dimension this[string name] =>
        Dimensions.FirstOrDefault(d => d.Name == name)
        ?? throw new KeyNotFoundException($"Search space '{Name}' has no dimension '{name}'; it has {string.Join(", ", Dimensions.Select(d => d.Name))}.");

    /// <summary>The per-layer dimensions that follow a depth dimension.</summary>
    public IEnumerable<Dimension> LayersOf(Dimension depth) => PerLayerDimensions.Where(d => d.Depth == depth);

    /// <summary>The number of values of a scalar dimension, counting for a depth every combination of its layers.</summary>
    public BigInteger Combinations(Dimension scalar) =>
        scalar.IsDepth
            ? Enumerable.Range(0, scalar.Count).Aggregate(BigInteger.Zero, (sum, gene) => sum + LayerCombinations(scalar, scalar.DepthAt(gene)))
            : scalar.Count;

    /// <summary>The number of ways to fill <paramref name="depth"/> layers of every per-layer choice of a depth.</summary>
    public BigInteger LayerCombinations(Dimension depthDimension, int depth) =>
        LayersOf(depthDimension).Aggregate(BigInteger.One, (product, d) => product * BigInteger.Pow(d.Count, depth));

    /// <summary>The length of an encoded architecture.</summary>
    public int EncodingLength(EncodingKind kind) => _encodingLengths[(int)kind];

    /// <summary>A name for each position of an encoded architecture, such as <c>Heads[3]</c> or <c>Bias=true</c>.</summary>
    public ImmutableArray<string> FeatureNames(EncodingKind kind)
    {
        var names = ImmutableArray.CreateBuilder<string>(EncodingLength(kind));
        foreach (var d in Dimensions)
        {
            for (int slot = 0; slot < d.Slots; slot++)
            {
                string position = d.IsPerLayer ? $"{d.Name}[{slot}]" : d.Name;
                if (kind == EncodingKind.Ordinal)
                    names.Add(position);
                else
                    for (int c = 0; c < d.Count; c++)
                        names.Add($"{position}={d.FormatChoice(c)}");
            }
        }
        return names.MoveToImmutable();
    }

    private Dimension ResolveDepth(Dimension perLayer, string depthName)
    {
        var depth = Dimensions.FirstOrDefault(d => d.Name == depthName)
            ?? throw new ArgumentException($"Per-layer dimension '{perLayer.Name}' follows '{depthName}', which is not a dimension of '{Name}'.");
        if (depth is not Dimension<int> || depth.IsPerLayer || depth.Ordinals.Any(v => v < 0))
            throw new ArgumentException($"Per-layer dimension '{perLayer.Name}' follows '{depthName}', which must be a scalar int choice of non-negative layer counts.");
        return depth;
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Name}: {UnconstrainedCardinality:N0} architectures{(Constraints.IsEmpty ? "" : " before constraints")}" + Environment.NewLine
        + string.Join(Environment.NewLine, Dimensions.Select(d => "  " + d))
        + string.Concat(Constraints.Select(c => Environment.NewLine + $"  constraint {c.Name}: {c.Message}"));
}
