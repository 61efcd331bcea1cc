using System.Diagnostics;
using System.Globalization;
using ILGPU;
using ILGPU.Runtime;
using SearchSpaceDsl.Kernels;
using SearchSpaceDsl.Kernels.Bench;

// KernelBench [--small | --full] [--cpu] [--repeats N]
//   default: HW-GPT-Bench S shapes on a GPU, small shapes on ILGPU's CPU accelerator.
var options = args.ToHashSet(StringComparer.Ordinal);
if (options.Contains("--help") || options.Contains("-h"))
{
    Console.WriteLine("KernelBench [--small | --full] [--cpu] [--repeats N]: times the ILGPU kernels; GFLOP/s and GB/s per op.");
    return 0;
}
int repeats = 0;
int repeatsAt = Array.IndexOf(args, "--repeats");
if (repeatsAt >= 0 && (repeatsAt + 1 >= args.Length || !int.TryParse(args[repeatsAt + 1], CultureInfo.InvariantCulture, out repeats) || repeats < 1))
{
    Console.Error.WriteLine("--repeats needs a positive integer.");
    return 2;
}

using var context = KernelContext.Create(preferCpu: options.Contains("--cpu"));
bool small = options.Contains("--small") || (!options.Contains("--full") && !context.IsGpu);
if (repeats == 0)
    repeats = context.IsGpu ? 20 : 3;
Console.WriteLine($"# KernelBench on {context}; {(small ? "small" : "HW-GPT-Bench S")} shapes; median of {repeats} after warm-up");
var sets = small ? new[] { BenchShapes.Small, BenchShapes.SmallSub } : new[] { BenchShapes.S, BenchShapes.SSub };

var timer = Stopwatch.StartNew();
context.Library.LoadAll();
Console.WriteLine($"# kernels loaded in {timer.Elapsed.TotalSeconds:F1} s");
Console.WriteLine(BenchTable.Header);
foreach (var shapes in sets)
{
    using var bench = new KernelBenchmarks(context, shapes, repeats);
    bench.Run();
}
return 0;
