using System.Numerics;

namespace SearchSpaceDsl;

/// <summary>
/// A space restricted by a condition known only at run time, such as a parameter budget: every operation of the
/// underlying space, with rejection of the members that fail the condition. Optimizers given this space propose only
/// members that meet it. Create it with <see cref="SearchSpaceExtensions.Where{TArch}"/>.
/// </summary>
/// <typeparam name="TArch">The architecture type.</typeparam>
public sealed class FilteredSearchSpace<TArch> : ISearchSpace<TArch>
{
    // The same limit as generated spaces (SearchSpace<TArch> requires a class; this wrapper does not).
    private const long EnumerationLimit = 10_000_000;
    private readonly ISearchSpace<TArch> _inner;
    private readonly Func<TArch, bool> _condition;
    private readonly Lazy<BigInteger> _cardinality;

    /// <summary>Restricts <paramref name="inner"/> to the members that satisfy <paramref name="condition"/>.</summary>
    /// <param name="inner">The space to restrict.</param>
    /// <param name="condition">Whether a member is allowed; called often, keep it cheap (a generated cost model is).</param>
    /// <param name="name">Names the condition in messages, such as "parameters ≤ 500,000".</param>
    /// <param name="maxAttempts">Draws or variations tried before giving up on finding an allowed member.</param>
    public FilteredSearchSpace(ISearchSpace<TArch> inner, Func<TArch, bool> condition, string name, int maxAttempts = 10_000)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        _inner = inner;
        _condition = condition;
        ConditionName = name;
        MaxAttempts = maxAttempts;
        _cardinality = new Lazy<BigInteger>(CountMembers);
    }

    /// <summary>The name of the condition.</summary>
    public string ConditionName { get; }

    /// <summary>Draws or variations tried before giving up.</summary>
    public int MaxAttempts { get; }

    /// <inheritdoc />
    public SearchSpaceDescription Description => _inner.Description;

    /// <summary>The exact number of members that meet the condition, counted by enumeration.</summary>
    /// <exception cref="InvalidOperationException">The underlying space has more than <see cref="SearchSpace{TArch}.EnumerationLimit"/> members.</exception>
    public BigInteger Cardinality => _cardinality.Value;

    /// <inheritdoc />
    public TArch Largest => Allowed(_inner.Largest, "largest");

    /// <inheritdoc />
    public TArch Smallest => Allowed(_inner.Smallest, "smallest");

    /// <inheritdoc />
    public bool IsValid(TArch architecture) => _inner.IsValid(architecture) && _condition(architecture);

    /// <inheritdoc />
    public IReadOnlyList<string> Validate(TArch architecture)
    {
        var errors = _inner.Validate(architecture);
        return errors.Count == 0 && !_condition(architecture) ? [$"The architecture violates the condition '{ConditionName}'."] : errors;
    }

    /// <inheritdoc />
    public TArch Sample(Random random) => Retry(() => _inner.Sample(random), "drawing a member");

    /// <inheritdoc />
    public IEnumerable<TArch> Enumerate() => _inner.Enumerate().Where(_condition);

    /// <inheritdoc />
    public TArch Mutate(TArch architecture, Random random) => Retry(() => _inner.Mutate(architecture, random), "mutating a member");

    /// <inheritdoc />
    public TArch Crossover(TArch first, TArch second, Random random)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var child = _inner.Crossover(first, second, random);
            if (_condition(child))
                return child;
        }
        // Both parents are children of themselves and one of them is normally allowed.
        return _condition(first) ? first : _condition(second) ? second
            : throw new InvalidOperationException($"No crossover of the two parents meets '{ConditionName}' after {MaxAttempts} attempts.");
    }

    /// <inheritdoc />
    public double[] Encode(TArch architecture, EncodingKind kind = EncodingKind.Ordinal) => _inner.Encode(architecture, kind);

    /// <inheritdoc />
    public TArch Decode(ReadOnlySpan<double> encoding, EncodingKind kind = EncodingKind.Ordinal)
    {
        var architecture = _inner.Decode(encoding, kind);
        return _condition(architecture) ? architecture
            : throw new ArgumentException($"The decoded architecture {architecture} violates the condition '{ConditionName}'.", nameof(encoding));
    }

    private TArch Retry(Func<TArch> next, string what)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var candidate = next();
            if (_condition(candidate))
                return candidate;
        }
        throw new InvalidOperationException(
            $"No member meeting '{ConditionName}' was found after {MaxAttempts} attempts at {what} of {Description.Name}; the condition may exclude (almost) every member.");
    }

    private TArch Allowed(TArch extreme, string which) => _condition(extreme) ? extreme
        : throw new InvalidOperationException($"The {which} member of {Description.Name} violates the condition '{ConditionName}'.");

    private BigInteger CountMembers()
    {
        if (_inner.Cardinality > EnumerationLimit)
        {
            throw new InvalidOperationException(
                $"Counting the members of {Description.Name} that meet '{ConditionName}' needs enumeration, and the space has {_inner.Cardinality:N0} members (the limit is {EnumerationLimit:N0}).");
        }
        return Enumerate().LongCount();
    }
}
