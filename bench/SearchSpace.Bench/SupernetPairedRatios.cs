using System.Diagnostics;
using System.Globalization;
using TinyGpt;

namespace SearchSpaceDsl.Bench;

/// <summary>
/// The supernet/extracted time ratios of <see cref="SupernetBenchmarks"/>, measured in one process with the two models
/// interleaved call by call (supernet then extracted, then the other way round), so that load bursts on a shared
/// machine hit both alike. Reports the median time of each model and the median of the per-pair ratios.
/// Run with <c>-- --paired-ratios [pairs]</c> (default 100 pairs per measurement, after 10 warm-up pairs).
/// </summary>
public static class SupernetPairedRatios
{
    private const int WarmupPairs = 10;

    /// <summary>Measures every architecture, forward and forward+backward, and prints one Markdown table.</summary>
    public static void Run(int pairs)
    {
        Console.WriteLine($"Interleaved supernet/extracted pairs: {pairs} per row after {WarmupPairs} warm-up pairs; medians.");
        Console.WriteLine();
        Console.WriteLine("| Architecture | Pass | Supernet | Extracted | Ratio (median of pairs) |");
        Console.WriteLine("|---|---|---:|---:|---:|");
        foreach (var size in Enum.GetValues<SupernetSize>())
        {
            using var workload = new SupernetWorkload(size);
            Row(size, "forward", pairs, workload.Supernet, workload.Extracted, workload.Forward);
            Row(size, "forward+backward", pairs, workload.Supernet, workload.Extracted, workload.ForwardBackward);
        }
    }

    private static void Row(SupernetSize size, string pass, int pairs, TinyGptModel supernet, TinyGptModel extracted,
        Action<TinyGptModel> step)
    {
        for (int i = 0; i < WarmupPairs; i++)
        {
            step(supernet);
            step(extracted);
        }

        var supernetMs = new double[pairs];
        var extractedMs = new double[pairs];
        var ratios = new double[pairs];
        for (int i = 0; i < pairs; i++)
        {
            // Alternate which model goes first, so that neither always runs on the other's warm caches.
            if (i % 2 == 0)
            {
                supernetMs[i] = Time(step, supernet);
                extractedMs[i] = Time(step, extracted);
            }
            else
            {
                extractedMs[i] = Time(step, extracted);
                supernetMs[i] = Time(step, supernet);
            }
            ratios[i] = supernetMs[i] / extractedMs[i];
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {size} | {pass} | {Median(supernetMs):F2} ms | {Median(extractedMs):F2} ms | {Median(ratios):F3} |"));
    }

    private static double Time(Action<TinyGptModel> step, TinyGptModel model)
    {
        long start = Stopwatch.GetTimestamp();
        step(model);
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static double Median(double[] values)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
