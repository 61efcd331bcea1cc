using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace SearchSpaceDsl.Search;

/// <summary>
/// Measures the peak resident memory an operation adds to the process (Linux): the kernel's high-water mark of the
/// resident set is reset, the operation runs, and the rise of the mark over the resident set before it is the peak.
/// </summary>
/// <remarks>
/// glibc keeps freed blocks for reuse, which would hide a second run's allocations; during the measurement every
/// allocation of 64 KiB or more is therefore served by <c>mmap</c> and returned to the system when freed
/// (<c>mallopt(M_MMAP_THRESHOLD)</c>), and the heap is trimmed before the baseline. The measurement is of the whole
/// process: run it from one thread while nothing else allocates (a study with one worker).
/// </remarks>
public static class PeakMemory
{
    private const int MmapThresholdOption = -3; // M_MMAP_THRESHOLD
    private const int MeasuredMmapThreshold = 64 * 1024;
    private const int DefaultMmapThreshold = 128 * 1024;
    private static readonly Lock Gate = new();

    /// <summary>Whether this platform supports the measurement (Linux with glibc and a writable <c>/proc/self/clear_refs</c>).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux() && File.Exists("/proc/self/clear_refs") && File.Exists("/proc/self/status");

    /// <summary>The peak number of bytes <paramref name="operation"/> added to the resident set while it ran.</summary>
    /// <exception cref="PlatformNotSupportedException">Not Linux, or the kernel refuses to reset the high-water mark.</exception>
    public static long Measure(Action operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (!IsSupported)
            throw new PlatformNotSupportedException("Peak memory is measured from /proc/self (Linux only); measure memory with another objective on this platform.");
        lock (Gate)
        {
            SetMmapThreshold(MeasuredMmapThreshold);
            try
            {
                Trim();
                ResetHighWaterMark();
                var baseline = ReadStatusKiB("VmRSS");
                operation();
                var peak = ReadStatusKiB("VmHWM");
                return Math.Max(0, peak - baseline) * 1024;
            }
            finally
            {
                SetMmapThreshold(DefaultMmapThreshold);
            }
        }
    }

    private static void ResetHighWaterMark()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PlatformNotSupportedException($"The kernel refused to reset the resident-set high-water mark (/proc/self/clear_refs): {e.Message}", e);
        }
    }

    private static long ReadStatusKiB(string field)
    {
        var status = File.ReadAllText("/proc/self/status");
        var match = Regex.Match(status, $@"^{field}:\s+(\d+)\s+kB", RegexOptions.Multiline);
        if (!match.Success)
            throw new PlatformNotSupportedException($"/proc/self/status has no {field} line.");
        return long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void SetMmapThreshold(int bytes)
    {
        try
        {
            _ = Mallopt(MmapThresholdOption, bytes);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl keeps no such cache of large blocks): the measurement stays valid without it.
        }
    }

    private static void Trim()
    {
        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    private static extern int Mallopt(int option, int value);

    [DllImport("libc.so.6", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
