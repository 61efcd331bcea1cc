namespace SearchSpaceDsl.Search.Optimizers;

/// <summary>An evaluated architecture inside a population, with its NSGA-II rank and crowding distance.</summary>
internal sealed class Individual<TArch>(TArch architecture, double[] values)
{
    public TArch Architecture { get; } = architecture;

    /// <summary>The objective values in minimization form.</summary>
    public double[] Values { get; } = values;

    /// <summary>The non-dominated front index within the set it was last ranked in (0 is best).</summary>
    public int Rank { get; set; }

    /// <summary>The crowding distance within its front (larger is better; +∞ at the extremes).</summary>
    public double Crowding { get; set; }

    /// <summary>Whether this individual wins a crowded-comparison tournament against <paramref name="other"/>.</summary>
    public bool BeatsByRankAndCrowding(Individual<TArch> other) =>
        Rank < other.Rank || (Rank == other.Rank && Crowding > other.Crowding);
}
