using System.Diagnostics;

namespace SearchSpaceDsl.Search;

/// <summary>Measures the latency of an operation: warm-up runs, then the median of timed repeats with its spread.</summary>
public static class Latency
{
    /// <summary>Runs <paramref name="operation"/> <paramref name="warmup"/> times untimed, then <paramref name="repeats"/> times timed one by one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative warm-up or fewer than one repeat.</exception>
    public static LatencyMeasurement Measure(Action operation, int warmup = 3, int repeats = 10)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentOutOfRangeException.ThrowIfNegative(warmup);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        for (var i = 0; i < warmup; i++)
            operation();
        var times = new double[repeats];
        for (var i = 0; i < repeats; i++)
        {
            var start = Stopwatch.GetTimestamp();
            operation();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        return new LatencyMeasurement(Quantile(times, 0.5), Quantile(times, 0.75) - Quantile(times, 0.25), times[0], repeats);
    }

    // Linear interpolation between closest ranks (the default of NumPy and R type 7).
    internal static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + (position - low) * (sorted[high] - sorted[low]);
    }
}
