namespace SearchSpaceDsl.Search;

/// <summary>
/// What an objective measured for one architecture: the value the search optimizes, and optional details recorded
/// with the trial (for a latency, its spread and minimum).
/// </summary>
/// <param name="Value">The objective's value, in its own units and direction.</param>
/// <param name="Details">Further named numbers to store with the trial, or null.</param>
public readonly record struct Measurement(double Value, IReadOnlyDictionary<string, double>? Details = null)
{
    /// <summary>A measurement with no details.</summary>
    public static implicit operator Measurement(double value) => new(value);
}
