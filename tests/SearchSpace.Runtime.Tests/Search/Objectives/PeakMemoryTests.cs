using System.Runtime.InteropServices;
using SearchSpaceDsl.Search;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Search.Objectives;

/// <summary>Peak memory is a measurement of the whole process: these tests run alone (<see cref="SerialCollection"/>).</summary>
[Collection(nameof(SerialCollection))]
public sealed class PeakMemoryTests
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public void A_native_buffer_touched_and_freed_inside_the_operation_is_its_peak()
    {
        Assert.True(PeakMemory.IsSupported);
        var peak = PeakMemory.Measure(() =>
        {
            var buffer = Marshal.AllocHGlobal((nint)(64 * MiB));
            try
            {
                // Resident only once written: touch one byte per page.
                for (long offset = 0; offset < 64 * MiB; offset += 4096)
                    Marshal.WriteByte(buffer, (int)offset, 1);
            }
            finally
            {
                Marshal.FreeHGlobal(buffer);
            }
        });
        Assert.InRange(peak, 60 * MiB, 96 * MiB);
    }

    [Fact]
    public void A_libtorch_tensor_counts_and_doing_nothing_does_not()
    {
        // The first libtorch call maps its libraries into memory: not part of what is measured.
        ones(16).Dispose();
        var tensorPeak = PeakMemory.Measure(() =>
        {
            using var scope = NewDisposeScope();
            ones(32 * 1024 * 1024 / 4 * 3); // 96 MiB of float32, written by the fill
        });
        Assert.InRange(tensorPeak, 90 * MiB, 140 * MiB);
        Assert.InRange(PeakMemory.Measure(() => { }), 0, 8 * MiB);
    }
}
