using System.Collections.Immutable;
using System.Runtime.InteropServices;
using TinyGpt;
using TorchSharp;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Bench;

/// <summary>The three TinyGpt architectures the supernet benchmarks measure.</summary>
public enum SupernetSize
{
    /// <summary><c>TinyGptArchitecture.Space.Smallest</c>: EmbedDim 64, 2 layers of 2 heads, 2× MLPs, no bias.</summary>
    Smallest,

    /// <summary>EmbedDim 96, 3 layers of 4 heads, 3× MLPs, bias.</summary>
    Middle,

    /// <summary><c>TinyGptArchitecture.Space.Largest</c>, the supernet's capacity: EmbedDim 128, 4 layers of 8 heads, 4× MLPs, bias.</summary>
    Largest,
}

/// <summary>
/// What <see cref="SupernetBenchmarks"/> and <see cref="SupernetPairedRatios"/> share: the TinyGpt supernet (capacity
/// <c>Space.Largest</c>) with an architecture active, the dense model <c>Extract</c> returns for it, and a fixed random
/// token batch of the sample's shape (batch 16 × <see cref="TinyGptModel.Context"/>, float32, CPU).
/// </summary>
public sealed class SupernetWorkload : IDisposable
{
    /// <summary>The batch size (<c>SupernetTrainingOptions.BatchSize</c>'s default).</summary>
    public const int Batch = 16;

    /// <summary>The sequence length (<see cref="TinyGptModel.Context"/>, <c>SupernetTrainingOptions.Context</c>'s default).</summary>
    public const int Sequence = TinyGptModel.Context;

    private const int Seed = 42;

    private readonly Tensor _tokens;
    private readonly Tensor _targets;

    /// <summary>
    /// Builds both models under a fixed seed and checks that they compute the same logits. Sets torch to one intra-op
    /// thread and fixes glibc's malloc thresholds (<see cref="FixAllocator"/>) first.
    /// </summary>
    public SupernetWorkload(SupernetSize size)
    {
        FixAllocator();
        // One intra-op thread for both models: the benchmark machine has 2 shared vCPUs, and one thread keeps the
        // supernet/extracted ratio free of thread-pool scheduling noise (the other benchmark classes are single-threaded too).
        torch.set_num_threads(1);
        torch.manual_seed(Seed);
        Architecture = Resolve(size);

        Supernet = new TinyGptModel(); // capacity Space.Largest
        Supernet.Activate(Architecture);
        Extracted = Supernet.Extract(Architecture);

        var generator = new Generator((ulong)Seed);
        _tokens = randint(0, TinyGptModel.Vocab, [Batch, Sequence], dtype: int64, generator: generator);
        _targets = randint(0, TinyGptModel.Vocab, [Batch * Sequence], dtype: int64, generator: generator);
        _tokens.DetachFromDisposeScope();
        _targets.DetachFromDisposeScope();

        using (NewDisposeScope())
        using (no_grad())
        {
            var difference = (Supernet.forward(_tokens) - Extracted.forward(_tokens)).abs().max().item<float>();
            if (difference > 1e-4f)
                throw new InvalidOperationException($"Supernet and extracted model differ by {difference} for {Architecture}.");
        }
    }

    /// <summary>The measured architecture.</summary>
    public TinyGptArchitecture Architecture { get; }

    /// <summary>The supernet, capacity <c>Space.Largest</c>, with <see cref="Architecture"/> active.</summary>
    public TinyGptModel Supernet { get; }

    /// <summary>The dense model <c>Supernet.Extract(Architecture)</c>.</summary>
    public TinyGptModel Extracted { get; }

    /// <summary>The architecture a <see cref="SupernetSize"/> stands for.</summary>
    public static TinyGptArchitecture Resolve(SupernetSize size) => size switch
    {
        SupernetSize.Smallest => TinyGptArchitecture.Space.Smallest,
        SupernetSize.Middle => Middle(),
        SupernetSize.Largest => TinyGptArchitecture.Space.Largest,
        _ => throw new ArgumentOutOfRangeException(nameof(size), size, null),
    };

    private static TinyGptArchitecture Middle()
    {
        var middle = new TinyGptArchitecture(96, 3, ImmutableArray.Create(4, 4, 4), ImmutableArray.Create(3, 3, 3), true);
        TinyGptArchitecture.Space.EnsureValid(middle);
        return middle;
    }

    /// <summary>Forward without autograd; every tensor is disposed before it returns.</summary>
    public void Forward(TinyGptModel model)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.forward(_tokens); // CPU kernels run synchronously: the work is done when forward returns
    }

    /// <summary>
    /// Forward, cross-entropy on the fixed targets, backward, then <c>zero_grad()</c> (set to none, TorchSharp's and
    /// PyTorch's default: the next backward allocates fresh gradients); every tensor is disposed before it returns.
    /// </summary>
    public void ForwardBackward(TinyGptModel model)
    {
        using var scope = NewDisposeScope();
        var logits = model.forward(_tokens);
        var loss = nn.functional.cross_entropy(logits.view(Batch * Sequence, TinyGptModel.Vocab), _targets);
        loss.backward();
        model.zero_grad();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Supernet.Dispose();
        Extracted.Dispose();
        _tokens.Dispose();
        _targets.Dispose();
    }

    /// <summary>
    /// Fixes glibc's malloc thresholds for this process (Linux/glibc only; elsewhere nothing happens). libtorch's CPU
    /// allocator is plain malloc, and glibc adapts its mmap threshold and trims the heap as it goes, so the megabyte
    /// activations of a forward are mmapped and page-faulted in afresh on some calls; which steady state a process lands
    /// in varies from process to process (the largest architecture's forward measured 27 ms in one process and 130 ms in
    /// the next). With a 32 MiB mmap threshold (glibc's largest) and a 1 GiB trim threshold, those buffers stay in the
    /// heap in every process, for both models alike.
    /// </summary>
    public static void FixAllocator()
    {
        if (!OperatingSystem.IsLinux())
            return;
        try
        {
            Mallopt(MTrimThreshold, 1 << 30);
            Mallopt(MMmapThreshold, 32 << 20);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc: measure with the allocator as it is.
        }
    }

    private const int MTrimThreshold = -1; // M_TRIM_THRESHOLD in <malloc.h>
    private const int MMmapThreshold = -3; // M_MMAP_THRESHOLD

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    private static extern int Mallopt(int parameter, int value);
}
