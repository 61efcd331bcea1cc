using System.Globalization;

namespace SearchSpaceDsl.Kernels.Bench;

/// <summary>The table format both this app and <c>pytorch_reference.py</c> print, so that runs compare line by line.</summary>
internal static class BenchTable
{
    public const string Header = "set            op              shape                               ms     GFLOP/s      GB/s";

    public static string Row(string set, string op, string shape, double ms, double flops, double bytes) =>
        string.Format(CultureInfo.InvariantCulture, "{0,-14} {1,-15} {2,-30} {3,9:F3} {4,11:G4} {5,9:G4}",
            set, op, shape, ms, flops / (ms * 1e6), bytes / (ms * 1e6));
}
