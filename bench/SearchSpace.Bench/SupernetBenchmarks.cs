using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using TinyGpt;

namespace SearchSpaceDsl.Bench;

/// <summary>
/// The cost of weight sharing: forward and forward+backward through the TinyGpt supernet (capacity <c>Space.Largest</c>,
/// the architecture active) against the dense model <c>Extract</c> returns for the same architecture, on the same fixed
/// token batch (<see cref="SupernetWorkload"/>: 16 × 64 tokens, float32, CPU, one torch thread). Each supernet/extracted
/// pair is a baseline pair per category and architecture, so the Ratio column is supernet time / extracted time.
/// <see cref="Activate"/> measures switching the active architecture.
/// </summary>
/// <remarks>
/// Every benchmark runs in three processes (launches), because on a shared machine the process-to-process spread of
/// these millisecond figures is larger than the within-process one. <see cref="SupernetPairedRatios"/> measures the
/// ratios more tightly by interleaving the two models in one process.
/// </remarks>
[MemoryDiagnoser]
[CategoriesColumn]
[MedianColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[SimpleJob(launchCount: 3, warmupCount: 2, iterationCount: 8)]
public class SupernetBenchmarks
{
    private SupernetWorkload _workload = null!;
    private TinyGptModel _supernet = null!;
    private TinyGptModel _extracted = null!;
    private TinyGptArchitecture _architecture = null!;
    private TinyGptArchitecture _other = null!;

    [Params(SupernetSize.Smallest, SupernetSize.Middle, SupernetSize.Largest)]
    public SupernetSize Architecture { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _workload = new SupernetWorkload(Architecture);
        _supernet = _workload.Supernet;
        _extracted = _workload.Extracted;
        _architecture = _workload.Architecture;
        _other = _architecture == TinyGptArchitecture.Space.Largest
            ? TinyGptArchitecture.Space.Smallest
            : TinyGptArchitecture.Space.Largest;
    }

    [GlobalCleanup]
    public void Cleanup() => _workload.Dispose();

    /// <summary>Forward through the supernet with the architecture active, without autograd.</summary>
    [Benchmark, BenchmarkCategory("Forward")]
    public void SupernetForward() => _workload.Forward(_supernet);

    /// <summary>Forward through the extracted dense model, without autograd (the baseline).</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("Forward")]
    public void ExtractedForward() => _workload.Forward(_extracted);

    /// <summary>Forward, cross-entropy, backward through the supernet; gradients set to none afterwards.</summary>
    [Benchmark, BenchmarkCategory("ForwardBackward")]
    public void SupernetForwardBackward() => _workload.ForwardBackward(_supernet);

    /// <summary>Forward, cross-entropy, backward through the extracted model (the baseline).</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("ForwardBackward")]
    public void ExtractedForwardBackward() => _workload.ForwardBackward(_extracted);

    /// <summary>
    /// Switching the active architecture: <c>Activate</c> to the other extreme of the space (the largest, or the smallest
    /// when the architecture is the largest) and back, reported per call. The benchmarked architecture stays active.
    /// </summary>
    [Benchmark(OperationsPerInvoke = 2), BenchmarkCategory("Activate")]
    public void Activate()
    {
        _supernet.Activate(_other);
        _supernet.Activate(_architecture);
    }
}
