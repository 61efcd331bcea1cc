namespace SearchSpaceDsl.Search.Optimizers;

/// <summary>Random search: every proposal is drawn uniformly from the space (constraints included). The baseline every other optimizer must beat.</summary>
/// <typeparam name="TArch">The architecture type.</typeparam>
public sealed class RandomSearch<TArch> : IOptimizer<TArch> where TArch : class
{
    private readonly ISearchSpace<TArch> _space;
    private readonly Random _random;
    private ToldValues _told;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="space">The space to search.</param>
    /// <param name="seed">Makes the sequence of proposals reproducible.</param>
    public RandomSearch(ISearchSpace<TArch> space, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(space);
        _space = space;
        _random = new Random(seed);
        Description = $"RandomSearch(seed={seed})";
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public TArch Ask() => _space.Sample(_random);

    /// <inheritdoc />
    public void Tell(TArch architecture, ReadOnlySpan<double> values)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        _told.Check(values);
    }

    /// <inheritdoc />
    public void TellFailure(TArch architecture) => ArgumentNullException.ThrowIfNull(architecture);
}
