using SearchSpaceDsl.Supernets;
using TorchSharp;
using static SearchSpaceDsl.Tests.Supernets.EntangledLayerAssert;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets;

public class EntangledSelfAttentionTests
{
    private const int Batch = 2;
    private const int Seq = 5;

    /// <summary>One active configuration of the layer (kvGroups 0 = plain multi-head attention).</summary>
    public readonly record struct AttentionConfig(int Dim, int Heads, int HeadSize, bool Bias, int KvGroups)
    {
        public int KvHeads => KvGroups == 0 ? Heads : KvGroups;

        public override string ToString() => $"d={Dim} h={Heads} hs={HeadSize} bias={Bias} g={KvGroups}";
    }

    /// <summary>A supernet shape and the random configurations drawn for it.</summary>
    private sealed record Kind(int DimMax, int HeadsMax, int HeadSizeMax, bool HasBias, int KvGroupsMax, bool HeadSizeIsChoice)
    {
        public EntangledSelfAttention Create(string name = "blocks.0.attn", ScalarType dtype = ScalarType.Float32) =>
            new(name, DimMax, HeadsMax, HeadSizeMax, HasBias, KvGroupsMax, dtype: dtype);

        public AttentionConfig Largest => new(DimMax, HeadsMax, HeadSizeMax, HasBias, KvGroupsMax);

        public AttentionConfig Smallest =>
            new(1, KvGroupsMax == 0 ? 1 : 1, HeadSizeIsChoice ? 1 : HeadSizeMax, false, KvGroupsMax == 0 ? 0 : 1);

        public AttentionConfig Sample(Random random)
        {
            var dim = random.Next(1, DimMax + 1);
            var headSize = HeadSizeIsChoice ? random.Next(1, HeadSizeMax + 1) : HeadSizeMax;
            var bias = HasBias && random.Next(2) == 1;
            if (KvGroupsMax == 0) return new(dim, random.Next(1, HeadsMax + 1), headSize, bias, 0);
            var groups = random.Next(1, KvGroupsMax + 1);
            var perGroup = random.Next(1, HeadsMax / KvGroupsMax + 1);
            return new(dim, groups * perGroup, headSize, bias, groups);
        }

        /// <summary>The largest, the smallest, then random configurations.</summary>
        public IEnumerable<AttentionConfig> Configs(int seed)
        {
            var random = new Random(seed);
            yield return Largest;
            yield return Smallest;
            for (var i = 2; i < Configurations; i++) yield return Sample(random);
        }
    }

    private static readonly Dictionary<string, Kind> Kinds = new()
    {
        ["mha-fixed-head-size"] = new(DimMax: 12, HeadsMax: 4, HeadSizeMax: 4, HasBias: true, KvGroupsMax: 0, HeadSizeIsChoice: false),
        ["mha-head-size-choice"] = new(DimMax: 12, HeadsMax: 4, HeadSizeMax: 5, HasBias: true, KvGroupsMax: 0, HeadSizeIsChoice: true),
        ["gqa"] = new(DimMax: 10, HeadsMax: 6, HeadSizeMax: 4, HasBias: true, KvGroupsMax: 3, HeadSizeIsChoice: true),
        ["gqa-wide-groups"] = new(DimMax: 10, HeadsMax: 8, HeadSizeMax: 3, HasBias: true, KvGroupsMax: 2, HeadSizeIsChoice: true),
        ["gqa-fixed-head-size"] = new(DimMax: 10, HeadsMax: 6, HeadSizeMax: 4, HasBias: true, KvGroupsMax: 2, HeadSizeIsChoice: false),
    };

    public static TheoryData<string> KindNames => new(Kinds.Keys);

    [Theory]
    [MemberData(nameof(KindNames))]
    public void Supernet_forward_equals_extracted_forward(string kindName)
    {
        var kind = Kinds[kindName];
        using var supernet = kind.Create();
        var generator = new Generator(11);
        Randomize(supernet, generator);

        foreach (var config in kind.Configs(seed: 1))
        {
            using var scope = NewDisposeScope();
            Activate(supernet, config);
            var x = randn([Batch, Seq, config.Dim], generator: generator);

            var expected = supernet.forward(x);
            using var extracted = Assert.IsType<SelfAttention>(supernet.Extract());
            var actual = extracted.forward(x);

            Assert.Equal(new long[] { Batch, Seq, config.Dim }, expected.shape);
            Assert.True(MaxAbsDiff(expected, actual) <= 1e-5, $"{kindName} {config}: diff {MaxAbsDiff(expected, actual)}");
            Assert.Equal(config.Heads, extracted.Heads);
            Assert.Equal(config.HeadSize, extracted.HeadSize);
            Assert.Equal(config.KvGroups, extracted.KvGroups);
            Assert.Equal(config.Bias, extracted.HasBias);
        }
    }

    [Theory]
    [MemberData(nameof(KindNames))]
    public void Active_parameter_count_equals_extracted_count_and_formula(string kindName)
    {
        var kind = Kinds[kindName];
        using var supernet = kind.Create();

        foreach (var config in kind.Configs(seed: 2))
        {
            Activate(supernet, config);
            using var extracted = supernet.Extract();
            var extractedCount = extracted.parameters().Sum(p => p.numel());
            long inner = config.Heads * config.HeadSize, kvInner = config.KvHeads * config.HeadSize;
            var formula = 2 * config.Dim * inner + 2 * config.Dim * kvInner + (config.Bias ? inner + 2 * kvInner + config.Dim : 0);

            Assert.Equal(formula, supernet.ActiveParameterCount);
            Assert.Equal(formula, extractedCount);
        }
    }

    [Theory]
    [MemberData(nameof(KindNames))]
    public void Gradients_land_inside_the_active_slice_and_nowhere_else(string kindName)
    {
        var kind = Kinds[kindName];
        using var supernet = kind.Create();
        var generator = new Generator(13);
        Randomize(supernet, generator);
        var parameters = supernet.named_parameters().ToDictionary(p => p.name, p => p.parameter);

        foreach (var config in kind.Configs(seed: 3))
        {
            using var scope = NewDisposeScope();
            Activate(supernet, config);
            supernet.zero_grad();
            var x = randn([Batch, Seq, config.Dim], generator: generator);
            var weights = randn([Batch, Seq, config.Dim], generator: generator);
            (supernet.forward(x) * weights).sum().backward();

            foreach (var (name, parameter) in parameters)
            {
                var expected = ExpectedMask(kind, config, name);
                var gradient = parameter.grad is null ? new double[parameter.numel()] : ToDoubles(parameter.grad);
                Assert.Equal(expected.Length, gradient.Length);
                var outside = Enumerable.Range(0, gradient.Length).Where(i => !expected[i] && gradient[i] != 0).ToList();
                Assert.True(outside.Count == 0, $"{kindName} {config}: {name} has gradient outside the slice at {string.Join(",", outside.Take(5))}");
                // The key bias shifts every score of a query by the same amount, which softmax ignores: its gradient is
                // zero up to rounding, so only its support (checked above) is meaningful.
                if (name == "key.bias") continue;
                if (expected.Any(e => e))
                    Assert.True(Enumerable.Range(0, gradient.Length).Any(i => expected[i] && gradient[i] != 0),
                        $"{kindName} {config}: {name} has no gradient inside the slice");
            }
        }
    }

    [Theory]
    [MemberData(nameof(KindNames))]
    public void Changing_a_future_token_does_not_change_earlier_outputs(string kindName)
    {
        var kind = Kinds[kindName];
        using var supernet = kind.Create();
        var generator = new Generator(17);
        Randomize(supernet, generator);

        foreach (var config in kind.Configs(seed: 4).Take(12))
        {
            using var scope = NewDisposeScope();
            Activate(supernet, config);
            var x = randn([Batch, Seq, config.Dim], generator: generator);
            for (var t = 1; t < Seq; t++)
            {
                var changed = x.clone();
                changed.narrow(1, t, 1).copy_(randn([Batch, 1, config.Dim], generator: generator));
                var before = supernet.forward(x);
                var after = supernet.forward(changed);
                Assert.Equal(0.0, MaxAbsDiff(before.narrow(1, 0, t), after.narrow(1, 0, t)), 6);
                Assert.True(MaxAbsDiff(before.narrow(1, t, 1), after.narrow(1, t, 1)) > 1e-6, $"{config}: token {t} had no effect");
            }
        }
    }

    [Theory]
    [InlineData("mha-fixed-head-size", 7, 3, 4, true, 0)]
    [InlineData("mha-head-size-choice", 9, 3, 2, true, 0)]
    [InlineData("gqa", 8, 4, 3, true, 2)]
    [InlineData("gqa-wide-groups", 10, 6, 2, false, 2)]
    [InlineData("gqa-fixed-head-size", 7, 4, 4, true, 2)]
    public void Forward_matches_an_independent_float64_reference(string kindName, int dim, int heads, int headSize, bool bias, int kvGroups)
    {
        var kind = Kinds[kindName];
        var config = new AttentionConfig(dim, heads, headSize, bias, kvGroups);
        using var scope = NewDisposeScope();
        var generator = new Generator(19);
        var x = randn([Batch, Seq, dim], dtype: ScalarType.Float64, generator: generator);

        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
        {
            using var supernet = kind.Create(dtype: dtype);
            Randomize(supernet, generator);
            Activate(supernet, config);
            var p = supernet.named_parameters().ToDictionary(n => n.name, n => ToDoubles(n.parameter));

            var reference = ReferenceAttention(kind, config, ToDoubles(x), p);
            var actual = ToDoubles(supernet.forward(x.to_type(dtype)));

            var diff = reference.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
            Assert.True(diff <= (dtype == ScalarType.Float64 ? 1e-12 : 1e-5), $"{dtype}: diff {diff}");
        }
    }

    [Theory]
    // (kind, dim, heads, headSize, kvGroups, q/o copied, k/v copied)
    [InlineData("mha-fixed-head-size", 7, 3, 4, 0, false, false)]
    [InlineData("mha-fixed-head-size", 12, 4, 4, 0, false, false)]
    [InlineData("mha-head-size-choice", 7, 3, 2, 0, true, true)]
    [InlineData("mha-head-size-choice", 7, 1, 2, 0, false, false)] // one head: the strided slice is still a view
    [InlineData("gqa-fixed-head-size", 7, 6, 4, 2, false, false)]
    [InlineData("gqa-fixed-head-size", 7, 2, 4, 1, false, false)]
    [InlineData("gqa-fixed-head-size", 7, 4, 4, 2, true, false)]
    [InlineData("gqa", 7, 4, 3, 2, true, true)]
    public void Forward_weights_are_views_of_the_max_weights_except_for_strided_selections(
        string kindName, int dim, int heads, int headSize, int kvGroups, bool queryCopied, bool keyValueCopied)
    {
        using var supernet = Kinds[kindName].Create();
        supernet.SetActive(dim, heads, headSize, true, kvGroups);
        using var scope = NewDisposeScope();

        var w = supernet.SelectActiveWeights();

        Assert.Equal(!queryCopied, SharesStorage(w.Query, supernet.Query.weight!));
        Assert.Equal(!queryCopied, SharesStorage(w.QueryBias!, supernet.Query.bias!));
        Assert.Equal(!queryCopied, SharesStorage(w.Output, supernet.Output.weight!));
        Assert.True(SharesStorage(w.OutputBias!, supernet.Output.bias!));
        Assert.Equal(!keyValueCopied, SharesStorage(w.Key, supernet.Key.weight!));
        Assert.Equal(!keyValueCopied, SharesStorage(w.KeyBias!, supernet.Key.bias!));
        Assert.Equal(!keyValueCopied, SharesStorage(w.Value, supernet.Value.weight!));
        Assert.Equal(!keyValueCopied, SharesStorage(w.ValueBias!, supernet.Value.bias!));
    }

    [Fact]
    public void SetActive_allocates_nothing()
    {
        using var supernet = Kinds["gqa"].Create();
        using var mha = Kinds["mha-head-size-choice"].Create();
        supernet.SetActive(10, 6, 4, true, 3);
        mha.SetActive(12, 4, 5);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            var groups = 1 + i % 3;
            supernet.SetActive(1 + i % 10, groups * (1 + i % 2), 1 + i % 4, i % 2 == 0, groups);
            mha.SetActive(1 + i % 12, 1 + i % 4, 1 + i % 5, i % 3 == 0);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void State_dict_names_and_shapes_are_stable()
    {
        using var supernet = Kinds["gqa"].Create();
        var shapes = supernet.state_dict().ToDictionary(e => e.Key, e => e.Value.shape);

        Assert.Equal(
            ["key.bias", "key.weight", "output.bias", "output.weight", "query.bias", "query.weight", "value.bias", "value.weight"],
            shapes.Keys.Order());
        Assert.Equal(new long[] { 24, 10 }, shapes["query.weight"]);
        Assert.Equal(new long[] { 12, 10 }, shapes["key.weight"]);
        Assert.Equal(new long[] { 12 }, shapes["value.bias"]);
        Assert.Equal(new long[] { 10, 24 }, shapes["output.weight"]);

        supernet.SetActive(5, 2, 3, true, 1);
        using var extracted = supernet.Extract();
        var extractedShapes = extracted.state_dict().ToDictionary(e => e.Key, e => e.Value.shape);
        Assert.Equal(shapes.Keys.Order(), extractedShapes.Keys.Order());
        Assert.Equal(new long[] { 6, 5 }, extractedShapes["query.weight"]);
        Assert.Equal(new long[] { 3, 5 }, extractedShapes["key.weight"]);
        Assert.Equal(new long[] { 5, 6 }, extractedShapes["output.weight"]);
    }

    [Fact]
    public void Extracted_module_shares_no_storage_and_drops_an_unused_bias()
    {
        using var supernet = Kinds["mha-head-size-choice"].Create();
        supernet.SetActive(6, 2, 3, useBias: false);
        using var scope = NewDisposeScope();
        var x = randn([Batch, Seq, 6]);
        using var extracted = supernet.ExtractAttention();
        var before = extracted.forward(x);

        Assert.DoesNotContain(extracted.named_parameters(), p => p.name.EndsWith("bias", StringComparison.Ordinal));
        using (no_grad())
            foreach (var parameter in supernet.parameters())
                parameter.add_(1.0);

        Assert.Equal(0.0, MaxAbsDiff(before, extracted.forward(x)));
        Assert.True(MaxAbsDiff(before, supernet.forward(x)) > 1e-3);
    }

    [Fact]
    public void A_layer_without_bias_ignores_useBias()
    {
        using var supernet = new EntangledSelfAttention("attn", 8, 2, 4, hasBias: false);
        supernet.SetActive(8, 2, 4);

        Assert.False(supernet.ActiveBias);
        Assert.Equal(4 * 8 * 8, supernet.ActiveParameterCount);
        Assert.Equal(4, supernet.named_parameters().Count(p => p.name.EndsWith("weight", StringComparison.Ordinal)));
        Assert.DoesNotContain(supernet.state_dict().Keys, k => k.EndsWith("bias", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0, 2, 4, 0, "dim", "1 … 12")]
    [InlineData(13, 2, 4, 0, "dim", "1 … 12")]
    [InlineData(6, 0, 4, 0, "heads", "1 … 4")]
    [InlineData(6, 5, 4, 0, "heads", "1 … 4")]
    [InlineData(6, 2, 0, 0, "headSize", "1 … 5")]
    [InlineData(6, 2, 6, 0, "headSize", "1 … 5")]
    [InlineData(6, 2, 4, 1, "kvGroups", "0 only")]
    public void Invalid_multi_head_sizes_name_the_layer_and_the_range(int dim, int heads, int headSize, int kvGroups, string parameter, string range)
    {
        using var supernet = Kinds["mha-head-size-choice"].Create("blocks.3.attn");

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => supernet.SetActive(dim, heads, headSize, true, kvGroups));

        Assert.Equal(parameter, error.ParamName);
        Assert.Contains("blocks.3.attn", error.Message);
        Assert.Contains(range, error.Message);
    }

    [Theory]
    [InlineData(4, 0, "kvGroups", "1 … 3")]
    [InlineData(4, 4, "kvGroups", "1 … 3")]
    [InlineData(3, 2, "heads", "a multiple of kvGroups = 2 from 2 to 4")]
    [InlineData(6, 2, "heads", "a multiple of kvGroups = 2 from 2 to 4")]
    [InlineData(0, 1, "heads", "a multiple of kvGroups = 1 from 1 to 2")]
    public void Invalid_grouped_query_sizes_name_the_layer_and_the_range(int heads, int kvGroups, string parameter, string range)
    {
        using var supernet = Kinds["gqa"].Create("blocks.1.attn");

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => supernet.SetActive(8, heads, 4, true, kvGroups));

        Assert.Equal(parameter, error.ParamName);
        Assert.Contains("blocks.1.attn", error.Message);
        Assert.Contains(range, error.Message);
    }

    [Fact]
    public void Invalid_construction_and_input_are_rejected_clearly()
    {
        var groups = Assert.Throws<ArgumentOutOfRangeException>(() => new EntangledSelfAttention("attn", 8, 6, 4, true, kvGroupsMax: 4));
        Assert.Equal("kvGroupsMax", groups.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new EntangledSelfAttention("attn", 0, 6, 4, true));

        using var supernet = new EntangledSelfAttention("blocks.2.attn", 8, 2, 4, true);
        supernet.SetActive(5, 2, 4);
        using var x = randn(1, 3, 8);
        var error = Assert.Throws<ArgumentException>(() => supernet.forward(x));
        Assert.Contains("blocks.2.attn", error.Message);
        Assert.Contains("[batch, seq, 5]", error.Message);
    }

    [Fact]
    public void Sizes_start_at_their_max()
    {
        using var supernet = Kinds["gqa"].Create();

        Assert.Equal((10, 6, 4, 3, true), (supernet.ActiveDim, supernet.ActiveHeads, supernet.ActiveHeadSize, supernet.ActiveKvGroups, supernet.ActiveBias));
        Assert.Equal(supernet.parameters().Sum(p => p.numel()), supernet.ActiveParameterCount);
    }

    // ----- helpers -----

    private static void Activate(EntangledSelfAttention supernet, AttentionConfig config) =>
        supernet.SetActive(config.Dim, config.Heads, config.HeadSize, config.Bias, config.KvGroups);

    private static void Randomize(nn.Module module, Generator generator)
    {
        using var noGrad = no_grad();
        foreach (var parameter in module.parameters())
        {
            using var values = randn(parameter.shape, dtype: parameter.dtype, generator: generator) * 0.5;
            parameter.copy_(values);
        }
    }

    private static bool SharesStorage(Tensor slice, Tensor parameter) =>
        slice.storage<float>().data_ptr() == parameter.storage<float>().data_ptr();

    /// <summary>Stored query head (and output column block) of active query head j: group-major selection.</summary>
    private static int StoredQueryHead(Kind kind, AttentionConfig config, int j)
    {
        if (kind.KvGroupsMax == 0) return j;
        var perGroup = config.Heads / config.KvGroups;
        return j / perGroup * (kind.HeadsMax / kind.KvGroupsMax) + j % perGroup;
    }

    /// <summary>Whether stored query head i is active, from the semantics: the first heads (MHA), or the first
    /// heads/kvGroups query heads of each of the first kvGroups groups (GQA).</summary>
    private static bool QueryHeadActive(Kind kind, AttentionConfig config, int i)
    {
        if (kind.KvGroupsMax == 0) return i < config.Heads;
        var perGroupMax = kind.HeadsMax / kind.KvGroupsMax;
        return i / perGroupMax < config.KvGroups && i % perGroupMax < config.Heads / config.KvGroups;
    }

    private static bool[] ExpectedMask(Kind kind, AttentionConfig config, string name)
    {
        int s = kind.HeadSizeMax, innerMax = kind.HeadsMax * s, kvInnerMax = (kind.KvGroupsMax == 0 ? kind.HeadsMax : kind.KvGroupsMax) * s;
        bool QueryRow(int r) => QueryHeadActive(kind, config, r / s) && r % s < config.HeadSize;
        bool KvRow(int r) => r / s < config.KvHeads && r % s < config.HeadSize;
        bool Column(int c) => c < config.Dim;
        bool[] Matrix(int rows, int cols, Func<int, int, bool> active) =>
            Enumerable.Range(0, rows * cols).Select(i => active(i / cols, i % cols)).ToArray();
        bool[] Vector(int length, Func<int, bool> active) =>
            Enumerable.Range(0, length).Select(i => config.Bias && active(i)).ToArray();

        return name switch
        {
            "query.weight" => Matrix(innerMax, kind.DimMax, (r, c) => QueryRow(r) && Column(c)),
            "key.weight" or "value.weight" => Matrix(kvInnerMax, kind.DimMax, (r, c) => KvRow(r) && Column(c)),
            "output.weight" => Matrix(kind.DimMax, innerMax, (r, c) => Column(r) && QueryRow(c)),
            "query.bias" => Vector(innerMax, QueryRow),
            "key.bias" or "value.bias" => Vector(kvInnerMax, KvRow),
            "output.bias" => Vector(kind.DimMax, Column),
            _ => throw new InvalidOperationException($"unexpected parameter {name}"),
        };
    }

    /// <summary>
    /// Causal attention of the active sub-network in float64 with explicit loops over the max-size weights, indexed by
    /// the slicing semantics (row of head i, dim e = i·hsMax + e).
    /// </summary>
    private static double[] ReferenceAttention(Kind kind, AttentionConfig config, double[] x, Dictionary<string, double[]> p)
    {
        int d = config.Dim, h = config.Heads, hs = config.HeadSize, s = kind.HeadSizeMax, dMax = kind.DimMax;
        int innerMax = kind.HeadsMax * s, perGroup = h / config.KvHeads;
        var result = new double[Batch * Seq * d];
        var bias = config.Bias;

        double Project(string weight, string biasName, int row, int b, int t)
        {
            var sum = bias ? p[biasName][row] : 0.0;
            for (var c = 0; c < d; c++) sum += p[weight][row * dMax + c] * x[(b * Seq + t) * d + c];
            return sum;
        }

        for (var b = 0; b < Batch; b++)
        {
            var merged = new double[Seq, h * hs];
            for (var j = 0; j < h; j++)
            {
                var qHead = StoredQueryHead(kind, config, j);
                var kvHead = j / perGroup;
                for (var t = 0; t < Seq; t++)
                {
                    var scores = new double[t + 1];
                    for (var u = 0; u <= t; u++)
                    {
                        var dot = 0.0;
                        for (var e = 0; e < hs; e++)
                            dot += Project("query.weight", "query.bias", qHead * s + e, b, t) * Project("key.weight", "key.bias", kvHead * s + e, b, u);
                        scores[u] = dot / Math.Sqrt(hs);
                    }

                    var max = scores.Max();
                    var weights = scores.Select(v => Math.Exp(v - max)).ToArray();
                    var total = weights.Sum();
                    for (var e = 0; e < hs; e++)
                    {
                        var sum = 0.0;
                        for (var u = 0; u <= t; u++) sum += weights[u] / total * Project("value.weight", "value.bias", kvHead * s + e, b, u);
                        merged[t, j * hs + e] = sum;
                    }
                }
            }

            for (var t = 0; t < Seq; t++)
                for (var o = 0; o < d; o++)
                {
                    var sum = bias ? p["output.bias"][o] : 0.0;
                    for (var j = 0; j < h; j++)
                        for (var e = 0; e < hs; e++)
                            sum += p["output.weight"][o * innerMax + StoredQueryHead(kind, config, j) * s + e] * merged[t, j * hs + e];
                    result[(b * Seq + t) * d + o] = sum;
                }
        }

        return result;
    }
}
