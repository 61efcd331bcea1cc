using BenchmarkDotNet.Attributes;
using SearchSpaceDsl.Zoo;

namespace SearchSpaceDsl.Bench;

/// <summary>
/// The search-space operations an optimizer calls in its inner loop, on the HW-GPT-Bench GPT-2 spaces
/// (L is the target of the 1 M/s requirement, S is for comparison). Single-threaded; every operation draws from
/// a seeded <see cref="Random"/> made in <see cref="Setup"/>, and the operations on existing architectures cycle
/// through a pool of sampled members so that no single architecture is measured.
/// </summary>
[GenericTypeArguments(typeof(HwGptBenchL))]
[GenericTypeArguments(typeof(HwGptBenchS))]
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class SpaceBenchmarks<TArch>
    where TArch : class, IArchitecture<TArch>
{
    private const int PoolSize = 1024; // a power of two, so that the pool index wraps with a mask
    private const int Seed = 42;

    private SearchSpace<TArch> _space = null!;
    private Random _random = null!;
    private TArch[] _pool = null!;
    private string[] _texts = null!;
    private double[] _ordinal = null!;
    private double[] _oneHot = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _space = TArch.Space;
        var poolRandom = new Random(Seed + 1);
        _pool = [.. Enumerable.Range(0, PoolSize).Select(_ => _space.Sample(poolRandom))];
        _texts = [.. _pool.Select(a => a.ToString()!)];
        _ordinal = new double[_space.Description.EncodingLength(EncodingKind.Ordinal)];
        _oneHot = new double[_space.Description.EncodingLength(EncodingKind.OneHot)];
        _random = new Random(Seed);
        _next = 0;
    }

    private TArch NextMember() => _pool[_next++ & (PoolSize - 1)];

    /// <summary>One uniform draw from the space.</summary>
    [Benchmark]
    public TArch Sample() => _space.Sample(_random);

    /// <summary>Membership check of a sampled architecture (choices, per-layer lengths, constraints).</summary>
    [Benchmark]
    public bool IsValid() => _space.IsValid(NextMember());

    /// <summary>The ordinal (HW-GPT-Bench) encoding into a preallocated buffer.</summary>
    [Benchmark]
    public double Encode()
    {
        _space.Encode(NextMember(), _ordinal, EncodingKind.Ordinal);
        return _ordinal[0];
    }

    /// <summary>The one-hot encoding into a preallocated buffer.</summary>
    [Benchmark]
    public double EncodeOneHot()
    {
        _space.Encode(NextMember(), _oneHot, EncodingKind.OneHot);
        return _oneHot[0];
    }

    /// <summary>The target operation: draw, check and encode one architecture.</summary>
    [Benchmark]
    public double SampleValidateEncode()
    {
        var architecture = _space.Sample(_random);
        if (!_space.IsValid(architecture))
            throw new InvalidOperationException($"Sampled a non-member: {architecture}");
        _space.Encode(architecture, _ordinal, EncodingKind.Ordinal);
        return _ordinal[0];
    }

    /// <summary>One mutation step from a member.</summary>
    [Benchmark]
    public TArch Mutate() => _space.Mutate(NextMember(), _random);

    /// <summary>Uniform crossover of two members.</summary>
    [Benchmark]
    public TArch Crossover() => _space.Crossover(NextMember(), NextMember(), _random);

    /// <summary>The canonical text round trip: format a member and read it back.</summary>
    [Benchmark]
    public TArch ParseToString() => _space.Parse(NextMember().ToString()!);

    /// <summary>Reading the canonical text alone (the text formatted in setup), to split the round trip.</summary>
    [Benchmark]
    public TArch Parse() => _space.Parse(_texts[_next++ & (PoolSize - 1)]);
}
