using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using TinyGpt;
using TorchSharp;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Bench;

/// <summary>
/// The cost of weight sharing: forward and forward+backward of the TinyGpt supernet (capacity
/// <c>Space.Largest</c>, the architecture active) against the dense model <c>Extract</c> returns for the same
/// architecture, on the same fixed token batch (16 × <see cref="TinyGptModel.Context"/>, float32, CPU, one torch
/// thread). Each supernet/extracted pair is a baseline pair per category and architecture, so BenchmarkDotNet's Ratio
/// column is supernet time / extracted time. <see cref="Activate"/> measures switching the active architecture.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[MedianColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[Config(typeof(SupernetBenchmarks.AllocatorConfig))]
public class SupernetBenchmarks
{
    /// <summary>
    /// The job: three processes of 2 warmups and 8 iterations each, with glibc's malloc thresholds fixed.
    /// libtorch's CPU allocator is plain malloc; with glibc's dynamic mmap threshold and heap trimming, the megabyte
    /// activations of a forward are mmapped and page-faulted in afresh on some calls, and which steady state a process
    /// lands in varies from process to process (the largest forward measured 27 ms in one process and 130 ms in the
    /// next). Fixed thresholds keep those buffers in the heap in every process, for both models alike.
    /// </summary>
    public sealed class AllocatorConfig : ManualConfig
    {
        public AllocatorConfig() =>
            AddJob(Job.Default
                .WithLaunchCount(3)
                .WithWarmupCount(2)
                .WithIterationCount(8)
                .WithEnvironmentVariables(
                    new EnvironmentVariable("MALLOC_MMAP_THRESHOLD_", "33554432"), // 32 MiB, glibc's largest
                    new EnvironmentVariable("MALLOC_TRIM_THRESHOLD_", "1073741824")));
    }

    /// <summary>The three architectures measured.</summary>
    public enum Size
    {
        /// <summary><c>TinyGptArchitecture.Space.Smallest</c>.</summary>
        Smallest,

        /// <summary>EmbedDim 96, 3 layers of 4 heads with 3× MLPs, bias.</summary>
        Middle,

        /// <summary><c>TinyGptArchitecture.Space.Largest</c>, the supernet's capacity.</summary>
        Largest,
    }

    private const int Batch = 16; // SupernetTrainingOptions.BatchSize's default
    private const int Sequence = TinyGptModel.Context;
    private const int Seed = 42;

    private TinyGptModel _supernet = null!;
    private TinyGptModel _extracted = null!;
    private TinyGptArchitecture _architecture = null!;
    private TinyGptArchitecture _other = null!;
    private Tensor _tokens = null!;
    private Tensor _targets = null!;

    [Params(Size.Smallest, Size.Middle, Size.Largest)]
    public Size Architecture { get; set; }

    /// <summary>The architecture a <see cref="Size"/> stands for.</summary>
    public static TinyGptArchitecture Resolve(Size size) => size switch
    {
        Size.Smallest => TinyGptArchitecture.Space.Smallest,
        Size.Middle => new TinyGptArchitecture(96, 3, ImmutableArray.Create(4, 4, 4), ImmutableArray.Create(3, 3, 3), true),
        Size.Largest => TinyGptArchitecture.Space.Largest,
        _ => throw new ArgumentOutOfRangeException(nameof(size), size, null),
    };

    [GlobalSetup]
    public void Setup()
    {
        // One intra-op thread for both models: the machine of docs/PERFORMANCE.md has 2 shared vCPUs, and one thread
        // keeps the supernet/extracted ratio free of thread-pool scheduling noise.
        torch.set_num_threads(1);
        torch.manual_seed(Seed);
        _architecture = Resolve(Architecture);
        _other = _architecture == TinyGptArchitecture.Space.Largest
            ? TinyGptArchitecture.Space.Smallest
            : TinyGptArchitecture.Space.Largest;

        _supernet = new TinyGptModel(); // capacity Space.Largest
        _supernet.Activate(_architecture);
        _extracted = _supernet.Extract(_architecture);

        var generator = new Generator((ulong)Seed);
        _tokens = randint(0, TinyGptModel.Vocab, [Batch, Sequence], dtype: int64, generator: generator);
        _targets = randint(0, TinyGptModel.Vocab, [Batch * Sequence], dtype: int64, generator: generator);
        _tokens.DetachFromDisposeScope();
        _targets.DetachFromDisposeScope();

        // The two models must compute the same function, or the comparison is meaningless.
        using (NewDisposeScope())
        using (no_grad())
        {
            var difference = (_supernet.forward(_tokens) - _extracted.forward(_tokens)).abs().max().item<float>();
            if (difference > 1e-4f)
                throw new InvalidOperationException($"Supernet and extracted model differ by {difference} for {_architecture}.");
        }
        _supernet.zero_grad();
        _extracted.zero_grad();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _supernet.Dispose();
        _extracted.Dispose();
        _tokens.Dispose();
        _targets.Dispose();
    }

    /// <summary>Forward through the supernet with the architecture active, without autograd.</summary>
    [Benchmark, BenchmarkCategory("Forward")]
    public void SupernetForward() => Forward(_supernet);

    /// <summary>Forward through the extracted dense model, without autograd (the baseline).</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("Forward")]
    public void ExtractedForward() => Forward(_extracted);

    /// <summary>Forward, cross-entropy, backward through the supernet; gradients set to none afterwards.</summary>
    [Benchmark, BenchmarkCategory("ForwardBackward")]
    public void SupernetForwardBackward() => ForwardBackward(_supernet);

    /// <summary>Forward, cross-entropy, backward through the extracted model (the baseline).</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("ForwardBackward")]
    public void ExtractedForwardBackward() => ForwardBackward(_extracted);

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

    // CPU kernels run synchronously: when forward or backward returns, the work is done.
    private void Forward(TinyGptModel model)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.forward(_tokens);
    }

    private void ForwardBackward(TinyGptModel model)
    {
        using var scope = NewDisposeScope();
        var logits = model.forward(_tokens);
        var loss = nn.functional.cross_entropy(logits.view(Batch * Sequence, TinyGptModel.Vocab), _targets);
        loss.backward();
        model.zero_grad(); // set_to_none (TorchSharp's default, as PyTorch's): the next backward allocates fresh gradients
    }
}
