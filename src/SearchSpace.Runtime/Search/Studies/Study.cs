using SearchSpaceDsl.Search.Pareto;

namespace SearchSpaceDsl.Search;

/// <summary>
/// A search study: the objectives, and every trial evaluated for them, kept in a <see cref="ITrialStore"/> (a SQLite
/// file by default). <see cref="OptimizeAsync"/> runs an ask/tell optimizer until the study holds a number of trials;
/// a study whose process was killed resumes there without losing or re-evaluating a finished trial.
/// </summary>
/// <typeparam name="TArch">The generated architecture type.</typeparam>
public sealed partial class Study<TArch> : IDisposable where TArch : class, IArchitecture<TArch>
{
    private readonly ITrialStore _store;
    private readonly Lock _gate = new();
    private readonly SortedDictionary<int, StoredTrial> _trials = [];
    private int _optimizing;

    /// <summary>Opens (or creates) the study of <paramref name="objectives"/> over <c>TArch.Space</c> in <paramref name="store"/>.</summary>
    /// <param name="store">Where trials are kept; the study disposes it.</param>
    /// <param name="objectives">At least one objective, with distinct names.</param>
    /// <exception cref="ArgumentException">No objective, or two with one name.</exception>
    /// <exception cref="StudyException">The store holds a study of another space or other objectives, or a damaged trial.</exception>
    public Study(ITrialStore store, IReadOnlyList<Objective<TArch>> objectives)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(objectives);
        if (objectives.Count == 0)
            throw new ArgumentException("A study needs at least one objective.", nameof(objectives));
        var duplicate = objectives.GroupBy(o => o.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Two objectives are named '{duplicate.Key}'; objective names must be distinct.", nameof(objectives));
        _store = store;
        Objectives = [.. objectives];
        try
        {
            OpenHeader();
            foreach (var trial in store.ReadTrials())
            {
                ParseArchitecture(trial);
                _trials[trial.Number] = trial;
            }
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>Opens the study file at <paramref name="path"/> (SQLite), creating it when it does not exist.</summary>
    /// <inheritdoc cref="Study{TArch}(ITrialStore, IReadOnlyList{Objective{TArch}})" path="/exception"/>
    public static Study<TArch> Open(string path, params IReadOnlyList<Objective<TArch>> objectives) => new(SqliteTrialStore.Open(path), objectives);

    /// <summary>A study kept in memory only.</summary>
    public static Study<TArch> InMemory(params IReadOnlyList<Objective<TArch>> objectives) => new(new MemoryTrialStore(), objectives);

    /// <summary>Where the trials are kept.</summary>
    public string Location => _store.Location;

    /// <summary>The objectives, in the order of every trial's values.</summary>
    public IReadOnlyList<Objective<TArch>> Objectives { get; }

    /// <summary>Every trial, ordered by number (trials left running by a killed process show as <see cref="TrialStatus.Running"/>).</summary>
    public IReadOnlyList<Trial<TArch>> Trials
    {
        get
        {
            lock (_gate)
                return [.. _trials.Values.Select(ToTrial)];
        }
    }

    /// <summary>The completed trials, ordered by number.</summary>
    public IReadOnlyList<Trial<TArch>> CompletedTrials => [.. Trials.Where(t => t.Status == TrialStatus.Completed)];

    /// <summary>The completed trials no other completed trial dominates, ordered by number.</summary>
    public IReadOnlyList<Trial<TArch>> ParetoFront()
    {
        var completed = CompletedTrials;
        var front = Pareto.ParetoFront.Indices([.. completed.Select(t => ToMinimization(t.Values!))]);
        return [.. front.Select(i => completed[i])];
    }

    /// <summary>The values of <paramref name="values"/> in minimization form (maximized objectives negated).</summary>
    public double[] ToMinimization(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != Objectives.Count)
            throw new ArgumentException($"The study has {Objectives.Count} objectives; got {values.Count} values.", nameof(values));
        var result = new double[values.Count];
        for (var i = 0; i < result.Length; i++)
            result[i] = Objectives[i].ToMinimization(values[i]);
        return result;
    }

    /// <summary>The exact hypervolume of the completed trials against <paramref name="reference"/>, given in the objectives' own units and directions.</summary>
    public double Hypervolume(IReadOnlyList<double> reference)
    {
        var points = CompletedTrials.Select(t => ToMinimization(t.Values!)).ToArray();
        return Pareto.Hypervolume.Compute(points, ToMinimization(reference));
    }

    /// <summary>Closes the store.</summary>
    public void Dispose() => _store.Dispose();

    private void OpenHeader()
    {
        var expected = new StudyHeader(
            StudyHeader.CurrentFormatVersion,
            SpaceText,
            [.. Objectives.Select(o => new ObjectiveInfo(o.Name, o.Direction))],
            DateTimeOffset.UtcNow);
        var header = _store.ReadHeader();
        if (header is null)
        {
            _store.WriteHeader(expected);
            return;
        }
        if (header.Space != expected.Space)
        {
            throw new StudyException(
                $"The study '{_store.Location}' was created for another search space.{Environment.NewLine}Stored:{Environment.NewLine}{header.Space}{Environment.NewLine}Now:{Environment.NewLine}{expected.Space}");
        }
        if (!header.Objectives.SequenceEqual(expected.Objectives))
        {
            throw new StudyException(
                $"The study '{_store.Location}' was created with the objectives [{string.Join(", ", header.Objectives)}]; it was opened with [{string.Join(", ", expected.Objectives)}].");
        }
    }

    // Newlines normalized so a study moves between platforms.
    private static string SpaceText => TArch.Space.Description.ToString().ReplaceLineEndings("\n");

    private TArch ParseArchitecture(StoredTrial trial)
    {
        try
        {
            return TArch.Space.Parse(trial.Architecture);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new StudyException($"Trial {trial.Number} of the study '{_store.Location}' holds '{trial.Architecture}', which is not a member of {TArch.Space.Description.Name}: {e.Message}", e);
        }
    }

    private Trial<TArch> ToTrial(StoredTrial s) => ToTrial(s, ParseArchitecture(s));

    private static Trial<TArch> ToTrial(StoredTrial s, TArch architecture) =>
        new(s.Number, architecture, s.Status, s.Values, s.Details, s.Error, s.StartedUtc, s.FinishedUtc);
}
