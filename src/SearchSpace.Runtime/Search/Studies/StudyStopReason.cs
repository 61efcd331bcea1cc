namespace SearchSpaceDsl.Search;

/// <summary>Why <see cref="Study{TArch}.OptimizeAsync"/> returned.</summary>
public enum StudyStopReason
{
    /// <summary>The study holds the requested number of trials.</summary>
    BudgetReached,

    /// <summary>The optimizer proposed only architectures already evaluated or in flight, many times in a row: the space, or what the optimizer can reach of it, is used up.</summary>
    Exhausted,

    /// <summary>The cancellation token fired; trials in flight were finished and stored first.</summary>
    Cancelled,
}
