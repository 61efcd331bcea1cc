using SearchSpaceDsl.Supernets;
using TorchSharp;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets.Importance;

/// <summary>Layers with random weights, random permutations and snapshots shared by the importance tests.</summary>
internal static class ImportanceTestSupport
{
    /// <summary>Tolerance between the full-size forward before and after a permutation.</summary>
    public const double ForwardTolerance = 1e-5;

    /// <summary>An attention shape (kvGroupsMax 0 = multi-head attention).</summary>
    public sealed record AttentionShape(int DimMax, int HeadsMax, int HeadSizeMax, bool HasBias, int KvGroupsMax)
    {
        public EntangledSelfAttention Create(int seed, string name = "blocks.1.attn") =>
            Randomized(new EntangledSelfAttention(name, DimMax, HeadsMax, HeadSizeMax, HasBias, KvGroupsMax), seed);
    }

    /// <summary>Multi-head (fixed and chosen head size) and grouped-query shapes, by name.</summary>
    public static readonly Dictionary<string, AttentionShape> AttentionShapes = new()
    {
        ["mha"] = new(DimMax: 12, HeadsMax: 4, HeadSizeMax: 4, HasBias: true, KvGroupsMax: 0),
        ["mha-no-bias"] = new(DimMax: 12, HeadsMax: 5, HeadSizeMax: 3, HasBias: false, KvGroupsMax: 0),
        ["mha-head-size-choice"] = new(DimMax: 12, HeadsMax: 4, HeadSizeMax: 6, HasBias: true, KvGroupsMax: 0),
        ["gqa"] = new(DimMax: 10, HeadsMax: 6, HeadSizeMax: 4, HasBias: true, KvGroupsMax: 3),
        ["gqa-wide-groups"] = new(DimMax: 10, HeadsMax: 8, HeadSizeMax: 3, HasBias: true, KvGroupsMax: 2),
    };

    public static IEnumerable<object[]> AttentionShapeNames() => AttentionShapes.Keys.Select(k => new object[] { k });

    public static EntangledMlp CreateMlp(int seed, bool hasBias = true, string name = "blocks.2.mlp") =>
        Randomized(new EntangledMlp(name, dimMax: 9, hiddenMax: 23, hasBias), seed);

    /// <summary>Overwrites every parameter with <c>N(0, 0.5²)</c> values from a private generator.</summary>
    public static T Randomized<T>(T module, int seed) where T : nn.Module
    {
        var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        foreach (var parameter in module.parameters())
        {
            using var values = randn(parameter.shape, dtype: parameter.dtype, generator: generator) * 0.5;
            parameter.copy_(values);
        }
        return module;
    }

    /// <summary>A random permutation of <c>[0, count)</c> that maps each block of <paramref name="block"/> onto itself.</summary>
    public static long[] RandomPermutation(Random random, int count, int block = 0)
    {
        if (block <= 0) block = count;
        var order = new long[count];
        for (var start = 0; start < count; start += block)
        {
            var part = Enumerable.Range(start, block).Select(i => (long)i).ToArray();
            random.Shuffle(part);
            part.CopyTo(order, start);
        }
        // Never the identity (the tests would prove nothing).
        if (order.Select((o, i) => o == i).All(same => same) && block > 1)
            (order[0], order[1]) = (order[1], order[0]);
        return order;
    }

    /// <summary>Copies of all parameters, by state-dict name.</summary>
    public static Dictionary<string, Tensor> Snapshot(nn.Module module)
    {
        var copies = new Dictionary<string, Tensor>();
        foreach (var (name, parameter) in module.named_parameters())
        {
            var copy = parameter.detach().clone();
            copy.DetachFromDisposeScope();
            copies[name] = copy;
        }
        return copies;
    }

    /// <summary>Asserts that every parameter equals its snapshot exactly.</summary>
    public static void AssertUnchanged(nn.Module module, Dictionary<string, Tensor> snapshot)
    {
        foreach (var (name, parameter) in module.named_parameters())
            Assert.True(parameter.detach().Same(snapshot[name]), $"parameter '{name}' changed");
    }

    /// <summary>Asserts <c>scores[start … start+count-1]</c> is non-increasing (up to rounding).</summary>
    public static void AssertNonIncreasing(double[] scores, string what, int start = 0, int count = -1)
    {
        if (count < 0) count = scores.Length - start;
        for (var i = start + 1; i < start + count; i++)
            Assert.True(scores[i] <= scores[i - 1] * (1 + 1e-9) + 1e-12,
                $"{what}: score {i} = {scores[i]} exceeds score {i - 1} = {scores[i - 1]}");
    }

    /// <summary>Whether two tensors have the same shape and exactly the same elements.</summary>
    public static bool Same(this Tensor actual, Tensor expected)
    {
        if (!actual.shape.SequenceEqual(expected.shape)) return false;
        using var scope = NewDisposeScope();
        return actual.eq(expected).all().item<bool>();
    }
}
