namespace SearchSpaceDsl.Search;

/// <summary>Whether smaller or larger values of an objective are better.</summary>
public enum ObjectiveDirection
{
    /// <summary>Smaller is better (loss, parameters, latency).</summary>
    Minimize,

    /// <summary>Larger is better (accuracy, throughput).</summary>
    Maximize,
}
