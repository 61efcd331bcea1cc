namespace SearchSpaceDsl.Search;

/// <summary>
/// Where a study keeps its header and trials. <see cref="SqliteTrialStore"/> (a file, the default) survives a killed
/// process; <see cref="MemoryTrialStore"/> keeps nothing after the process. A study calls a store from one thread at a time.
/// </summary>
public interface ITrialStore : IDisposable
{
    /// <summary>Where the trials live (a file path, or a name for memory), for messages.</summary>
    string Location { get; }

    /// <summary>The study's header, or null for a new store.</summary>
    StudyHeader? ReadHeader();

    /// <summary>Writes the header of a new study.</summary>
    void WriteHeader(StudyHeader header);

    /// <summary>Every trial, ordered by number.</summary>
    IReadOnlyList<StoredTrial> ReadTrials();

    /// <summary>Inserts a trial, or replaces the trial of the same number; durable when it returns.</summary>
    void Save(StoredTrial trial);

    /// <summary>Removes the trial of a number, if any (used only for trials that never finished).</summary>
    void Delete(int number);
}
