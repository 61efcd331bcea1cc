namespace SearchSpaceDsl.Search.Optimizers;

/// <summary>
/// What a model-based optimizer remembers: every architecture proposed or told (so it proposes new ones), and the
/// evaluated ones with their values, once each, in the order told.
/// </summary>
internal sealed class ProposalMemory<TArch> where TArch : class
{
    private const int UnseenAttempts = 64;
    private readonly HashSet<TArch> _seen = [];
    private readonly HashSet<TArch> _evaluatedArchitectures = [];
    private readonly List<Individual<TArch>> _evaluated = [];
    private ToldValues _told;

    /// <summary>The evaluated architectures in the order they were first told.</summary>
    public IReadOnlyList<Individual<TArch>> Evaluated => _evaluated;

    /// <summary>Whether the architecture was proposed or told before.</summary>
    public bool HasSeen(TArch architecture) => _seen.Contains(architecture);

    /// <summary>Marks a proposal as seen and returns it.</summary>
    public TArch Remember(TArch architecture)
    {
        _seen.Add(architecture);
        return architecture;
    }

    /// <summary>Records an evaluation (checked values); an architecture told again is kept once.</summary>
    public void Record(TArch architecture, ReadOnlySpan<double> values)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        var told = _told.Check(values);
        _seen.Add(architecture);
        if (_evaluatedArchitectures.Add(architecture))
            _evaluated.Add(new Individual<TArch>(architecture, told));
    }

    /// <summary>Records a failed evaluation: never proposed again, never modelled.</summary>
    public void RecordFailure(TArch architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        _seen.Add(architecture);
    }

    /// <summary>A random member not seen before, if one turns up within a few draws (else the last draw).</summary>
    public TArch SampleUnseen(ISearchSpace<TArch> space, Random random)
    {
        var sample = space.Sample(random);
        for (var attempt = 1; attempt < UnseenAttempts && _seen.Contains(sample); attempt++)
            sample = space.Sample(random);
        return sample;
    }
}
