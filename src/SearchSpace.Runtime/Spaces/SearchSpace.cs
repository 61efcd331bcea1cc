using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace SearchSpaceDsl;

/// <summary>
/// The search space of a generated architecture type. Every operation works on genes (one choice index per
/// scalar dimension and per layer slot, see <see cref="SearchSpaceDescription"/>), so the generated code only
/// converts between typed properties and genes. Constraints are honoured everywhere.
/// </summary>
/// <typeparam name="TArch">The generated architecture type.</typeparam>
public sealed partial class SearchSpace<TArch> : ISearchSpace<TArch>
    where TArch : class, IArchitecture<TArch>
{
    /// <summary>How many architectures <see cref="Cardinality"/> may enumerate to count a constrained space.</summary>
    public const long EnumerationLimit = 10_000_000;

    private const int MaxAttempts = 10_000;
    private readonly Lazy<BigInteger> _cardinality;
    private readonly Lazy<TArch> _largest;
    private readonly Lazy<TArch> _smallest;

    /// <summary>Creates the space; generated code calls this once per architecture type.</summary>
    public SearchSpace(SearchSpaceDescription description, ImmutableArray<ArchitectureConstraint<TArch>> constraints = default)
    {
        Description = description;
        Constraints = constraints.IsDefault ? [] : constraints;
        _depthCumulative = [.. description.Dimensions.Select(DepthCumulative)];
        (_orderGene, _orderDimension, _orderSlot) = EnumerationOrder(description);
        _encodingOffsets = [EncodingOffsets(EncodingKind.Ordinal), EncodingOffsets(EncodingKind.OneHot)];
        _cardinality = new(CountMembers);
        _largest = new(() => Extreme(largest: true));
        _smallest = new(() => Extreme(largest: false));
    }

    /// <inheritdoc />
    public SearchSpaceDescription Description { get; }

    /// <summary>The constraints with their predicates.</summary>
    public ImmutableArray<ArchitectureConstraint<TArch>> Constraints { get; }

    /// <summary>
    /// The exact number of effective architectures that satisfy the constraints. Without constraints this is a
    /// closed form; with constraints the space is enumerated once (at most <see cref="EnumerationLimit"/> members).
    /// </summary>
    /// <exception cref="InvalidOperationException">A constrained space too large to enumerate.</exception>
    public BigInteger Cardinality => _cardinality.Value;

    /// <inheritdoc />
    public TArch Largest => _largest.Value;

    /// <inheritdoc />
    public TArch Smallest => _smallest.Value;

    /// <inheritdoc />
    public bool IsValid(TArch architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        Span<int> genes = Description.GeneCount <= 512 ? stackalloc int[Description.GeneCount] : new int[Description.GeneCount];
        return architecture.TryWriteGenes(genes, errors: null) && FirstViolation(architecture) is null;
    }

    /// <inheritdoc />
    public IReadOnlyList<string> Validate(TArch architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        var errors = new List<string>();
        if (architecture.TryWriteGenes(new int[Description.GeneCount], errors))
            errors.AddRange(Constraints.Where(c => !c.Predicate(architecture)).Select(c => c.Describe()));
        return errors;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> listing every reason the architecture is not a member.</summary>
    public void EnsureValid(TArch architecture, string? paramName = null)
    {
        var errors = Validate(architecture);
        if (errors.Count > 0)
            throw new ArgumentException($"Not a member of {Description.Name}: {string.Join(" ", errors)}", paramName ?? nameof(architecture));
    }

    /// <summary>Reads the canonical string form written by the architecture's <c>ToString()</c>.</summary>
    /// <exception cref="FormatException">Unknown, missing or invalid values, each named, or a violated constraint.</exception>
    public TArch Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var genes = ArchitectureText.ParseGenes(Description, text, out var errors);
        if (errors.Count == 0)
        {
            var architecture = TArch.FromGenes(genes);
            if (FirstViolation(architecture) is { } violated)
                errors.Add(violated.Describe());
            else
                return architecture;
        }
        throw new FormatException($"'{text}' is not an architecture of {Description.Name}: {string.Join(" ", errors)}");
    }

    /// <summary>Reads the canonical string form; false when it is not a member.</summary>
    public bool TryParse([NotNullWhen(true)] string? text, [MaybeNullWhen(false)] out TArch architecture)
    {
        architecture = null;
        if (text is null)
            return false;
        var genes = ArchitectureText.ParseGenes(Description, text, out var errors);
        if (errors.Count > 0)
            return false;
        architecture = TArch.FromGenes(genes);
        if (FirstViolation(architecture) is null)
            return true;
        architecture = null;
        return false;
    }

    internal ArchitectureConstraint<TArch>? FirstViolation(TArch architecture)
    {
        foreach (var constraint in Constraints)
        {
            if (!constraint.Predicate(architecture))
                return constraint;
        }
        return null;
    }

    /// <summary>The genes of a member; throws when it is not one.</summary>
    internal int[] GenesOf(TArch architecture, string paramName)
    {
        ArgumentNullException.ThrowIfNull(architecture, paramName);
        var genes = new int[Description.GeneCount];
        if (!architecture.TryWriteGenes(genes, errors: null) || FirstViolation(architecture) is not null)
            EnsureValid(architecture, paramName);
        return genes;
    }

    /// <summary>The number of active layers of a per-layer dimension in a gene vector.</summary>
    private static int ActiveLayers(ReadOnlySpan<int> genes, Dimension perLayer) =>
        perLayer.Depth!.DepthAt(genes[perLayer.Depth.GeneOffset]);

    private TArch Extreme(bool largest)
    {
        var genes = new int[Description.GeneCount];
        foreach (var d in Description.ScalarDimensions)
            genes[d.GeneOffset] = largest ? d.LargestIndex : d.SmallestIndex;
        foreach (var d in Description.PerLayerDimensions)
            genes.AsSpan(d.GeneOffset, ActiveLayers(genes, d)).Fill(largest ? d.LargestIndex : d.SmallestIndex);
        var architecture = TArch.FromGenes(genes);
        if (FirstViolation(architecture) is { } violated)
            throw new InvalidOperationException(
                $"The {(largest ? "largest" : "smallest")} architecture of {Description.Name} ({architecture}) violates {violated.Describe()}");
        return architecture;
    }

    private BigInteger CountMembers()
    {
        if (Constraints.IsEmpty)
            return Description.UnconstrainedCardinality;
        if (Description.UnconstrainedCardinality > EnumerationLimit)
            throw new InvalidOperationException(
                $"{Description.Name} has constraints and {Description.UnconstrainedCardinality:N0} architectures before them, more than the " +
                $"{EnumerationLimit:N0} that exact counting enumerates; use Description.UnconstrainedCardinality for the count before constraints.");
        return Enumerate().LongCount();
    }
}
