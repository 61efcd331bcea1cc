using SearchSpaceDsl.Supernets;
using TorchSharp;
using static SearchSpaceDsl.Tests.Supernets.EntangledLayerAssert;
using static SearchSpaceDsl.Tests.Supernets.Importance.ImportanceTestSupport;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets.Importance;

/// <summary>
/// The in-place unit permutations of the entangled layers (<c>PermuteNeurons</c>, <c>PermuteHeads</c>,
/// <c>PermuteKvGroups</c>, <c>PermuteHeadDims</c>): the full-size function is unchanged, the units really move, a bad
/// order is rejected with nothing changed, and the parameter objects stay the same.
/// </summary>
public class UnitPermutationTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void PermuteNeurons_keeps_the_full_mlp_function_and_moves_the_neurons(bool hasBias)
    {
        using var mlp = CreateMlp(seed: 1, hasBias);
        var random = new Random(2);
        using var scope = NewDisposeScope();
        var x = randn([3, 4, mlp.DimMax], generator: new Generator(3));
        var before = mlp.forward(x);
        var fc1 = mlp.Fc1.Weight.detach().clone();
        var b2 = mlp.Fc2.Bias?.detach().clone();

        for (var round = 0; round < 3; round++)
        {
            var order = RandomPermutation(random, mlp.HiddenMax);
            var fc1Before = mlp.Fc1.Weight.detach().clone();
            var fc2Before = mlp.Fc2.Weight.detach().clone();
            var b1Before = mlp.Fc1.Bias?.detach().clone();
            mlp.PermuteNeurons(order);

            Close(before, mlp.forward(x), ForwardTolerance, $"round {round}");
            var index = tensor(order);
            Assert.True(mlp.Fc1.Weight.detach().Same(fc1Before.index_select(0, index)), "fc1 rows");
            Assert.True(mlp.Fc2.Weight.detach().Same(fc2Before.index_select(1, index)), "fc2 columns");
            if (hasBias) Assert.True(mlp.Fc1.Bias!.detach().Same(b1Before!.index_select(0, index)), "fc1 bias");
        }

        // fc2's bias belongs to the output, not to a neuron: never moved.
        if (hasBias) Assert.True(mlp.Fc2.Bias!.detach().Same(b2!));
        Assert.False(mlp.Fc1.Weight.detach().Same(fc1));
    }

    [Fact]
    public void PermuteNeurons_keeps_every_prefix_consistent_with_the_moved_neurons()
    {
        // A prefix of width h after the permutation computes with exactly the neurons order[0 … h-1].
        using var mlp = CreateMlp(seed: 4);
        using var scope = NewDisposeScope();
        var order = RandomPermutation(new Random(5), mlp.HiddenMax);
        var x = randn([6, mlp.DimMax], generator: new Generator(6));
        var w1 = mlp.Fc1.Weight.detach().clone();
        var b1 = mlp.Fc1.Bias!.detach().clone();
        var w2 = mlp.Fc2.Weight.detach().clone();
        var b2 = mlp.Fc2.Bias!.detach().clone();

        mlp.PermuteNeurons(order);
        mlp.SetActive(mlp.DimMax, 5);

        var kept = tensor(order.Take(5).ToArray());
        var hidden = nn.functional.gelu(nn.functional.linear(x, w1.index_select(0, kept), b1.index_select(0, kept)));
        var expected = nn.functional.linear(hidden, w2.index_select(1, kept), b2);
        Close(expected, mlp.forward(x), ForwardTolerance, "prefix of 5 neurons");
    }

    [Theory]
    [MemberData(nameof(AttentionShapeNames), MemberType = typeof(ImportanceTestSupport))]
    public void PermuteHeads_keeps_the_full_attention_function(string shapeName)
    {
        var shape = AttentionShapes[shapeName];
        using var attention = shape.Create(seed: 10);
        var random = new Random(11);
        using var scope = NewDisposeScope();
        var x = randn([2, 5, shape.DimMax], generator: new Generator(12));
        var before = attention.forward(x);

        for (var round = 0; round < 3; round++)
        {
            var query = attention.Query.weight!.detach().clone();
            var key = attention.Key.weight!.detach().clone();
            var order = RandomPermutation(random, shape.HeadsMax, attention.QueriesPerGroupMax == 1 ? 0 : attention.QueriesPerGroupMax);
            attention.PermuteHeads(order);
            Close(before, attention.forward(x), ForwardTolerance, $"{shapeName} heads round {round}");

            var rows = tensor(ExpandBlocks(order, shape.HeadSizeMax));
            Assert.True(attention.Query.weight!.detach().Same(query.index_select(0, rows)), "query rows moved");
            if (attention.IsGroupedQuery)
                Assert.True(attention.Key.weight!.detach().Same(key), "key rows stay under grouped-query attention");
            else
                Assert.True(attention.Key.weight!.detach().Same(key.index_select(0, rows)), "key rows moved with their head");

            if (attention.IsGroupedQuery)
            {
                attention.PermuteKvGroups(RandomPermutation(random, shape.KvGroupsMax));
                Close(before, attention.forward(x), ForwardTolerance, $"{shapeName} groups round {round}");
            }

            var kvRows = attention.KvHeadsMax * shape.HeadSizeMax;
            attention.PermuteHeadDims(RandomPermutation(random, kvRows, shape.HeadSizeMax),
                RandomPermutation(random, kvRows, shape.HeadSizeMax));
            Close(before, attention.forward(x), ForwardTolerance, $"{shapeName} head dims round {round}");
        }
    }

    [Fact]
    public void PermuteKvGroups_moves_each_key_value_head_with_its_query_heads()
    {
        var shape = AttentionShapes["gqa"]; // 3 groups of 2 query heads, head size 4
        using var attention = shape.Create(seed: 13);
        using var scope = NewDisposeScope();
        var query = attention.Query.weight!.detach().clone();
        var value = attention.Value.weight!.detach().clone();
        var output = attention.Output.weight!.detach().clone();

        attention.PermuteKvGroups([2, 0, 1]);

        // Group 0 now is old group 2: value rows 8…11, query heads 4, 5 (rows 16…23), output columns 16…23.
        Assert.True(attention.Value.weight!.detach().narrow(0, 0, 4).Same(value.narrow(0, 8, 4)));
        Assert.True(attention.Query.weight!.detach().narrow(0, 0, 8).Same(query.narrow(0, 16, 8)));
        Assert.True(attention.Output.weight!.detach().narrow(1, 0, 8).Same(output.narrow(1, 16, 8)));
    }

    [Fact]
    public void PermuteHeadDims_keeps_a_head_size_prefix_consistent_with_the_moved_dims()
    {
        // After moving dims, a head-size prefix of 2 computes with dims qk[0], qk[1] of q/k and v[0], v[1] of v/o.
        var shape = AttentionShapes["mha-head-size-choice"];
        using var attention = shape.Create(seed: 14);
        using var reference = shape.Create(seed: 14, name: "reference");
        using var scope = NewDisposeScope();
        int hs = shape.HeadSizeMax, kvRows = shape.HeadsMax * hs;
        var random = new Random(15);
        var qk = RandomPermutation(random, kvRows, hs);
        var v = RandomPermutation(random, kvRows, hs);
        attention.PermuteHeadDims(qk, v);
        attention.SetActive(shape.DimMax, 3, 2);

        // The reference gets the same effect by gathering the rows itself.
        reference.SetActive(shape.DimMax, 3, 2);
        using (no_grad())
        {
            var qkIndex = tensor(qk);
            var vIndex = tensor(v);
            reference.Query.weight!.copy_(reference.Query.weight!.index_select(0, qkIndex));
            reference.Query.bias!.copy_(reference.Query.bias!.index_select(0, qkIndex));
            reference.Key.weight!.copy_(reference.Key.weight!.index_select(0, qkIndex));
            reference.Key.bias!.copy_(reference.Key.bias!.index_select(0, qkIndex));
            reference.Value.weight!.copy_(reference.Value.weight!.index_select(0, vIndex));
            reference.Value.bias!.copy_(reference.Value.bias!.index_select(0, vIndex));
            reference.Output.weight!.copy_(reference.Output.weight!.index_select(1, vIndex));
        }

        var x = randn([2, 4, shape.DimMax], generator: new Generator(16));
        Close(reference.forward(x), attention.forward(x), ForwardTolerance, "head size 2 after PermuteHeadDims");
    }

    public static IEnumerable<object[]> InvalidMlpOrders() =>
    [
        ["wrong length", Enumerable.Range(0, 22).Select(i => (long)i).ToArray(), "22 entries instead of 23"],
        ["duplicate", Enumerable.Range(0, 23).Select(i => (long)(i == 7 ? 3 : i)).ToArray(), "3 appears more than once"],
        ["out of range", Enumerable.Range(0, 23).Select(i => (long)(i == 0 ? 23 : i)).ToArray(), "outside [0, 23)"],
        ["negative", Enumerable.Range(0, 23).Select(i => (long)(i == 0 ? -1 : i)).ToArray(), "outside [0, 23)"],
    ];

    [Theory]
    [MemberData(nameof(InvalidMlpOrders))]
    public void An_invalid_neuron_order_names_the_layer_and_changes_nothing(string what, long[] order, string fault)
    {
        using var mlp = CreateMlp(seed: 20, name: "blocks.7.mlp");
        var snapshot = Snapshot(mlp);

        var error = Assert.Throws<ArgumentException>(() => mlp.PermuteNeurons(order));

        Assert.Contains("'blocks.7.mlp'", error.Message);
        Assert.Contains(fault, error.Message);
        Assert.Equal("order", error.ParamName);
        AssertUnchanged(mlp, snapshot);
        _ = what;
    }

    [Fact]
    public void Invalid_head_orders_name_the_layer_and_change_nothing()
    {
        using var mha = AttentionShapes["mha"].Create(seed: 21, name: "blocks.3.attn");
        using var gqa = AttentionShapes["gqa"].Create(seed: 22, name: "blocks.4.attn");
        var mhaSnapshot = Snapshot(mha);
        var gqaSnapshot = Snapshot(gqa);

        var duplicate = Assert.Throws<ArgumentException>(() => mha.PermuteHeads([0, 1, 1, 3]));
        Assert.Contains("'blocks.3.attn'", duplicate.Message);
        Assert.Contains("1 appears more than once", duplicate.Message);
        var length = Assert.Throws<ArgumentException>(() => mha.PermuteHeads([0, 1, 2]));
        Assert.Contains("3 entries instead of 4", length.Message);

        // Under grouped-query attention (groups {0,1}, {2,3}, {4,5}) a query head may not leave its group.
        var crossing = Assert.Throws<ArgumentException>(() => gqa.PermuteHeads([2, 1, 0, 3, 4, 5]));
        Assert.Contains("'blocks.4.attn'", crossing.Message);
        Assert.Contains("key/value group", crossing.Message);
        Assert.Throws<ArgumentException>(() => gqa.PermuteKvGroups([0, 0, 1]));
        var noGroups = Assert.Throws<InvalidOperationException>(() => mha.PermuteKvGroups([0, 1, 2, 3]));
        Assert.Contains("'blocks.3.attn'", noGroups.Message);

        // Head dims: a valid first order and an invalid second one: neither is applied.
        var kvRows = gqa.KvHeadsMax * gqa.HeadSizeMax;
        var valid = RandomPermutation(new Random(23), kvRows, gqa.HeadSizeMax);
        var acrossHeads = Enumerable.Range(0, kvRows).Select(i => (long)i).ToArray();
        (acrossHeads[3], acrossHeads[4]) = (acrossHeads[4], acrossHeads[3]);
        var dims = Assert.Throws<ArgumentException>(() => gqa.PermuteHeadDims(valid, acrossHeads));
        Assert.Contains("'blocks.4.attn'", dims.Message);
        Assert.Equal("valueOrder", dims.ParamName);

        AssertUnchanged(mha, mhaSnapshot);
        AssertUnchanged(gqa, gqaSnapshot);
    }

    [Fact]
    public void Permuting_keeps_the_parameter_objects_and_their_gradients_aligned()
    {
        using var mlp = CreateMlp(seed: 30);
        using var scope = NewDisposeScope();
        var x = randn([5, mlp.DimMax], generator: new Generator(31));
        var parameters = mlp.parameters().ToArray();
        var weight = mlp.Fc1.Weight;
        using var optimizer = optim.SGD(mlp.parameters(), learningRate: 0.1);

        mlp.forward(x).square().sum().backward();
        var order = RandomPermutation(new Random(32), mlp.HiddenMax);
        mlp.PermuteNeurons(order);

        // Same objects: the optimizer built before still holds them.
        Assert.Same(weight, mlp.Fc1.Weight);
        Assert.Equal(parameters.Length, mlp.parameters().Count());
        foreach (var (old, now) in parameters.Zip(mlp.parameters()))
            Assert.Same(old, now);

        // The accumulated gradient was permuted with its weights: it equals a fresh gradient of the permuted layer.
        var carried = mlp.Fc1.Weight.grad!.clone();
        mlp.zero_grad();
        mlp.forward(x).square().sum().backward();
        var fresh = mlp.Fc1.Weight.grad!.clone();
        Close(fresh, carried, 1e-4, "carried gradient vs fresh gradient");

        // And a step of the old optimizer updates the permuted weights: w ← w − 0.1·grad.
        var expected = (mlp.Fc1.Weight.detach() - 0.1 * fresh).clone();
        optimizer.step();
        Close(expected, mlp.Fc1.Weight.detach(), 1e-6, "SGD step after permuting");
    }

    private static long[] ExpandBlocks(long[] order, int block) =>
        order.SelectMany(o => Enumerable.Range(0, block).Select(j => o * block + j)).ToArray();
}
