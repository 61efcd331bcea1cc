namespace SearchSpaceDsl.Search;

/// <summary>Where a trial stands.</summary>
public enum TrialStatus
{
    /// <summary>Asked and being evaluated; a trial left Running by a killed process is evaluated again on resume.</summary>
    Running,

    /// <summary>Every objective was measured and finite.</summary>
    Completed,

    /// <summary>An objective threw or returned a non-finite value; the error says which.</summary>
    Failed,
}
