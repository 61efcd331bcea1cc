namespace SearchSpaceDsl.Search;

/// <summary>Timings of repeated runs of one operation after a warm-up, in milliseconds.</summary>
/// <param name="MedianMs">The median run: the value a latency objective optimizes (robust to outliers).</param>
/// <param name="InterquartileRangeMs">The spread: the 75th minus the 25th percentile.</param>
/// <param name="MinMs">The fastest run.</param>
/// <param name="Repeats">How many timed runs.</param>
public sealed record LatencyMeasurement(double MedianMs, double InterquartileRangeMs, double MinMs, int Repeats)
{
    /// <summary>The median with its spread and minimum as trial details, under <paramref name="name"/>_iqr_ms and <paramref name="name"/>_min_ms.</summary>
    public Measurement ToMeasurement(string name) => new(MedianMs, new Dictionary<string, double>
    {
        [$"{name}_iqr_ms"] = InterquartileRangeMs,
        [$"{name}_min_ms"] = MinMs,
    });
}
