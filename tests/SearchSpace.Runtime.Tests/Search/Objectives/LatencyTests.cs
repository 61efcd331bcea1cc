using SearchSpaceDsl.Search;

namespace SearchSpaceDsl.Tests.Search.Objectives;

public sealed class LatencyTests
{
    [Fact]
    public void Quantiles_interpolate_between_closest_ranks()
    {
        double[] sorted = [1, 2, 4, 8];
        Assert.Equal(3, Latency.Quantile(sorted, 0.5));     // halfway between 2 and 4
        Assert.Equal(1.75, Latency.Quantile(sorted, 0.25)); // position 0.75: 1 + 0.75·(2 − 1)
        Assert.Equal(5, Latency.Quantile(sorted, 0.75));    // position 2.25: 4 + 0.25·(8 − 4)
        Assert.Equal(8, Latency.Quantile(sorted, 1));
        Assert.Equal(7, Latency.Quantile([7], 0.5));
    }

    [Fact]
    public void Warm_up_runs_are_not_timed_and_the_median_is_robust_to_one_slow_run()
    {
        var calls = 0;
        var measurement = Latency.Measure(() =>
        {
            calls++;
            // The first two calls (warm-up) and the fifth are slow; the median of 7 timed runs must ignore them.
            Thread.Sleep(calls is 1 or 2 or 5 ? 300 : 2);
        }, warmup: 2, repeats: 7);
        Assert.Equal(9, calls);
        Assert.Equal(7, measurement.Repeats);
        Assert.InRange(measurement.MedianMs, 2, 250);
        Assert.InRange(measurement.MinMs, 2, measurement.MedianMs);
        Assert.True(measurement.InterquartileRangeMs >= 0);

        var asObjective = measurement.ToMeasurement("latency_ms");
        Assert.Equal(measurement.MedianMs, asObjective.Value);
        Assert.Equal(measurement.InterquartileRangeMs, asObjective.Details!["latency_ms_iqr_ms"]);
        Assert.Equal(measurement.MinMs, asObjective.Details!["latency_ms_min_ms"]);
    }

    [Fact]
    public void Bad_settings_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Latency.Measure(() => { }, warmup: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Latency.Measure(() => { }, repeats: 0));
    }
}
