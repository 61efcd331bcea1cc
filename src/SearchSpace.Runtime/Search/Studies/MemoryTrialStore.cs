namespace SearchSpaceDsl.Search;

/// <summary>A store that keeps trials in memory only: for throwaway studies and for measuring optimizers without storage.</summary>
public sealed class MemoryTrialStore : ITrialStore
{
    private readonly SortedDictionary<int, StoredTrial> _trials = [];
    private StudyHeader? _header;

    /// <inheritdoc />
    public string Location => "(memory)";

    /// <inheritdoc />
    public StudyHeader? ReadHeader() => _header;

    /// <inheritdoc />
    public void WriteHeader(StudyHeader header) => _header = header ?? throw new ArgumentNullException(nameof(header));

    /// <inheritdoc />
    public IReadOnlyList<StoredTrial> ReadTrials() => [.. _trials.Values];

    /// <inheritdoc />
    public void Save(StoredTrial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        _trials[trial.Number] = trial;
    }

    /// <inheritdoc />
    public void Delete(int number) => _trials.Remove(number);

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
