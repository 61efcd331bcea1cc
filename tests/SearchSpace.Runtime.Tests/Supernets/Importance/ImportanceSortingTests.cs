using SearchSpaceDsl.Supernets;
using TorchSharp;
using static SearchSpaceDsl.Tests.Supernets.EntangledLayerAssert;
using static SearchSpaceDsl.Tests.Supernets.Importance.ImportanceTestSupport;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets.Importance;

/// <summary>
/// Importance scores and sorting: the scores follow their definitions, sorting leaves the full-size function unchanged
/// and the stored scores non-increasing, and a clearly most important unit ends up in the smallest prefix.
/// </summary>
public class ImportanceSortingTests
{
    [Fact]
    public void Mlp_neuron_scores_are_fc1_row_norm_times_fc2_column_norm()
    {
        using var mlp = CreateMlp(seed: 1);
        var scores = ImportanceScores.MlpNeurons(mlp);

        Assert.Equal(mlp.HiddenMax, scores.Length);
        var w1 = ToDoubles(mlp.Fc1.Weight);
        var w2 = ToDoubles(mlp.Fc2.Weight);
        int d = mlp.DimMax, h = mlp.HiddenMax;
        for (var i = 0; i < h; i++)
        {
            double row = 0, column = 0;
            for (var j = 0; j < d; j++)
            {
                row += w1[i * d + j] * w1[i * d + j];
                column += w2[j * h + i] * w2[j * h + i];
            }
            Assert.Equal(Math.Sqrt(row) * Math.Sqrt(column), scores[i], 1e-9);
        }
    }

    [Fact]
    public void Attention_head_scores_are_value_block_norm_times_output_block_norm()
    {
        var shape = AttentionShapes["gqa-wide-groups"]; // 2 groups of 4 query heads, head size 3
        using var attention = shape.Create(seed: 2);
        using var scope = NewDisposeScope();
        var scores = ImportanceScores.AttentionHeads(attention);

        int hs = shape.HeadSizeMax;
        for (var head = 0; head < shape.HeadsMax; head++)
        {
            var group = head / attention.QueriesPerGroupMax;
            var value = attention.Value.weight!.narrow(0, group * hs, hs).to_type(ScalarType.Float64).norm().ToDouble();
            var output = attention.Output.weight!.narrow(1, head * hs, hs).to_type(ScalarType.Float64).norm().ToDouble();
            Assert.Equal(value * output, scores[head], 1e-9);
        }

        var groups = ImportanceScores.AttentionKvGroups(attention);
        for (var g = 0; g < shape.KvGroupsMax; g++)
        {
            var value = attention.Value.weight!.narrow(0, g * hs, hs).to_type(ScalarType.Float64).norm().ToDouble();
            var output = attention.Output.weight!.narrow(1, g * 4 * hs, 4 * hs).to_type(ScalarType.Float64).norm().ToDouble();
            Assert.Equal(value * output, groups[g], 1e-9);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Sorting_an_mlp_keeps_its_function_and_orders_the_scores(bool hasBias)
    {
        using var mlp = CreateMlp(seed: 3, hasBias);
        using var scope = NewDisposeScope();
        var x = randn([3, 4, mlp.DimMax], generator: new Generator(4));
        var before = mlp.forward(x);
        var scoresBefore = ImportanceScores.MlpNeurons(mlp);

        var order = ImportanceSorting.Sort(mlp);

        Close(before, mlp.forward(x), ForwardTolerance, "full MLP after sorting");
        var scores = ImportanceScores.MlpNeurons(mlp);
        AssertNonIncreasing(scores, "neuron scores");
        for (var i = 0; i < scores.Length; i++)
            Assert.Equal(scoresBefore[order[i]], scores[i], 1e-12);

        // Sorting again changes nothing (stable, already sorted).
        var again = ImportanceSorting.Sort(mlp);
        Assert.Equal(Enumerable.Range(0, mlp.HiddenMax).Select(i => (long)i), again);
    }

    [Theory]
    [MemberData(nameof(AttentionShapeNames), MemberType = typeof(ImportanceTestSupport))]
    public void Sorting_attention_keeps_its_function_and_orders_the_scores(string shapeName)
    {
        var shape = AttentionShapes[shapeName];
        using var attention = shape.Create(seed: 5);
        using var scope = NewDisposeScope();
        var x = randn([2, 6, shape.DimMax], generator: new Generator(6));
        var before = attention.forward(x);
        var headScoresBefore = ImportanceScores.AttentionHeads(attention);

        var order = ImportanceSorting.Sort(attention);

        Close(before, attention.forward(x), ForwardTolerance, $"{shapeName} after sorting");
        var headScores = ImportanceScores.AttentionHeads(attention);
        for (var i = 0; i < headScores.Length; i++)
            Assert.Equal(headScoresBefore[order.Heads[i]], headScores[i], 1e-9);

        int perGroup = attention.QueriesPerGroupMax, hs = shape.HeadSizeMax;
        if (attention.IsGroupedQuery)
        {
            Assert.NotNull(order.KvGroups);
            AssertNonIncreasing(ImportanceScores.AttentionKvGroups(attention), "group scores");
            for (var g = 0; g < shape.KvGroupsMax; g++)
            {
                AssertNonIncreasing(headScores, $"head scores of group {g}", g * perGroup, perGroup);
                // Every head stays in the group it came from (now at the group's new position).
                for (var j = 0; j < perGroup; j++)
                    Assert.Equal(order.KvGroups![g], order.Heads[g * perGroup + j] / perGroup);
            }
        }
        else
        {
            Assert.Null(order.KvGroups);
            AssertNonIncreasing(headScores, "head scores");
        }

        var queryKeyDims = ImportanceScores.AttentionQueryKeyDims(attention);
        var valueDims = ImportanceScores.AttentionValueDims(attention);
        for (var g = 0; g < attention.KvHeadsMax; g++)
        {
            AssertNonIncreasing(queryKeyDims, $"query/key dim scores of head {g}", g * hs, hs);
            AssertNonIncreasing(valueDims, $"value dim scores of head {g}", g * hs, hs);
        }
        Assert.Equal(attention.KvHeadsMax * hs, order.QueryKeyDims!.Length);
        Assert.Equal(attention.KvHeadsMax * hs, order.ValueDims!.Length);
    }

    [Fact]
    public void The_most_important_neuron_lands_in_the_one_neuron_prefix()
    {
        using var mlp = CreateMlp(seed: 7);
        const int important = 13;
        using (no_grad())
        {
            mlp.Fc1.Weight.narrow(0, important, 1).mul_(10);
            mlp.Fc2.Weight.narrow(1, important, 1).mul_(10);
        }
        using var scope = NewDisposeScope();
        var row = mlp.Fc1.Weight.detach().narrow(0, important, 1).clone();
        var bias = mlp.Fc1.Bias!.detach()[important].ToSingle();

        var order = ImportanceSorting.Sort(mlp);
        mlp.SetActive(mlp.DimMax, 1);

        Assert.Equal(important, order[0]);
        var slices = mlp.ActiveSlices().ToDictionary(s => s.Name, s => s.Slice);
        Assert.True(slices["fc1.weight"].Same(row), "the active fc1 row is the important neuron's");
        Assert.Equal(bias, slices["fc1.bias"][0].ToSingle());
    }

    [Fact]
    public void The_most_important_head_lands_in_the_one_head_prefix()
    {
        var shape = AttentionShapes["mha"];
        using var attention = shape.Create(seed: 8);
        const int important = 2;
        int hs = shape.HeadSizeMax;
        using (no_grad())
        {
            attention.Value.weight!.narrow(0, important * hs, hs).mul_(10);
            attention.Output.weight!.narrow(1, important * hs, hs).mul_(10);
        }
        using var scope = NewDisposeScope();
        var queryRows = attention.Query.weight!.detach().narrow(0, important * hs, hs).clone();

        var order = ImportanceSorting.Sort(attention, sortHeadDims: false);
        attention.SetActive(shape.DimMax, 1, hs);

        Assert.Equal(important, order.Heads[0]);
        var slices = attention.ActiveSlices().ToDictionary(s => s.Name, s => s.Slice);
        Assert.True(slices["query.weight"].Same(queryRows), "the active query rows are the important head's");
    }

    [Fact]
    public void The_most_important_group_and_head_land_in_the_smallest_grouped_query_prefix()
    {
        var shape = AttentionShapes["gqa"]; // 3 groups of 2 query heads
        using var attention = shape.Create(seed: 9);
        const int group = 1, head = 3; // head 3 is the second query head of group 1
        int hs = shape.HeadSizeMax;
        using (no_grad())
        {
            attention.Value.weight!.narrow(0, group * hs, hs).mul_(10);
            attention.Output.weight!.narrow(1, 2 * group * hs, 2 * hs).mul_(10);
            attention.Output.weight!.narrow(1, head * hs, hs).mul_(3);
        }
        using var scope = NewDisposeScope();
        var keyRows = attention.Key.weight!.detach().narrow(0, group * hs, hs).clone();
        var queryRows = attention.Query.weight!.detach().narrow(0, head * hs, hs).clone();

        var order = ImportanceSorting.Sort(attention, sortHeadDims: false);
        attention.SetActive(shape.DimMax, heads: 1, headSize: hs, kvGroups: 1);

        Assert.Equal(group, order.KvGroups![0]);
        Assert.Equal(head, order.Heads[0]);
        var slices = attention.ActiveSlices().ToDictionary(s => s.Name, s => s.Slice);
        Assert.True(slices["key.weight"].Same(keyRows), "the active key rows are the important group's");
        Assert.True(slices["query.weight"].Same(queryRows), "the active query rows are the important head's");
    }

    [Fact]
    public void The_most_important_head_dims_land_in_the_smallest_head_size_prefix()
    {
        var shape = AttentionShapes["mha-head-size-choice"]; // 4 heads of size 6
        using var attention = shape.Create(seed: 10);
        int hs = shape.HeadSizeMax;
        const int head = 1, queryKeyDim = 4, valueDim = 2;
        using (no_grad())
        {
            attention.Query.weight!.narrow(0, head * hs + queryKeyDim, 1).mul_(3);
            attention.Key.weight!.narrow(0, head * hs + queryKeyDim, 1).mul_(3);
            attention.Value.weight!.narrow(0, head * hs + valueDim, 1).mul_(3);
            attention.Output.weight!.narrow(1, head * hs + valueDim, 1).mul_(3);
        }
        using var scope = NewDisposeScope();
        var x = randn([2, 5, shape.DimMax], generator: new Generator(11));
        var before = attention.forward(x);
        var keyRow = attention.Key.weight!.detach().narrow(0, head * hs + queryKeyDim, 1).clone();
        var valueRow = attention.Value.weight!.detach().narrow(0, head * hs + valueDim, 1).clone();

        var order = ImportanceSorting.Sort(attention);
        // The scaled weights give outputs up to ~40 (float32 spacing ~4e-6 there): compare relative to their size.
        var scale = Math.Max(1, before.abs().max().ToDouble());
        Close(before, attention.forward(x), ForwardTolerance * scale, $"after sorting heads and head dims (|y| ≤ {scale:F1})");

        var position = Array.IndexOf(order.Heads, (long)head);
        Assert.Equal(head * hs + queryKeyDim, order.QueryKeyDims![position * hs]);
        Assert.Equal(head * hs + valueDim, order.ValueDims![position * hs]);

        attention.SetActive(shape.DimMax, shape.HeadsMax, headSize: 1);
        var slices = attention.ActiveSlices().ToDictionary(s => s.Name, s => s.Slice);
        Assert.True(slices["key.weight"].narrow(0, position, 1).Same(keyRow), "head size 1 keeps the important key dim");
        Assert.True(slices["value.weight"].narrow(0, position, 1).Same(valueRow), "head size 1 keeps the important value dim");
    }

    [Fact]
    public void Activation_scores_follow_their_definitions_and_sort_without_changing_the_function()
    {
        using var mlp = CreateMlp(seed: 12);
        using var scope = NewDisposeScope();
        var x = randn([4, 3, mlp.DimMax], generator: new Generator(13));

        var scores = ImportanceScores.MlpNeuronsFromActivations(mlp, x);
        var hidden = nn.functional.gelu(nn.functional.linear(x, mlp.Fc1.Weight, mlp.Fc1.Bias)).detach();
        var expected = ToDoubles(hidden.abs().reshape(-1, mlp.HiddenMax).mean([0]) * mlp.Fc2.Weight.detach().norm(0));
        for (var i = 0; i < scores.Length; i++)
            Assert.Equal(expected[i], scores[i], 1e-5);

        var before = mlp.forward(x);
        ImportanceSorting.Sort(mlp, scores);
        Close(before, mlp.forward(x), ForwardTolerance, "MLP sorted by activation scores");
        AssertNonIncreasing(ImportanceScores.MlpNeuronsFromActivations(mlp, x), "activation scores");
    }

    [Theory]
    [InlineData("mha")]
    [InlineData("gqa")]
    public void Attention_activation_scores_measure_each_heads_contribution(string shapeName)
    {
        var shape = AttentionShapes[shapeName];
        using var attention = shape.Create(seed: 14);
        int hs = shape.HeadSizeMax;
        using var scope = NewDisposeScope();
        var x = randn([2, 5, shape.DimMax], generator: new Generator(15));
        var scores = ImportanceScores.AttentionHeadsFromActivations(attention, x);

        // A head whose output columns are zero contributes nothing; scaling a head's columns scales its score.
        using (no_grad())
        {
            attention.Output.weight!.narrow(1, 0, hs).zero_();
            attention.Output.weight!.narrow(1, 1 * hs, hs).mul_(3);
        }
        var changed = ImportanceScores.AttentionHeadsFromActivations(attention, x);
        Assert.Equal(0.0, changed[0], 1e-9);
        Assert.Equal(3 * scores[1], changed[1], 1e-5);
        Assert.Equal(scores[2], changed[2], 1e-9);

        // Sorting by these scores keeps the function and puts the silenced head 0 behind the others of its group.
        var before = attention.forward(x);
        var order = ImportanceSorting.Sort(attention, changed);
        Close(before, attention.forward(x), ForwardTolerance, $"{shapeName} sorted by activation scores");
        Assert.NotEqual(0L, order.Heads[0]);
    }

    [Fact]
    public void Bad_scores_name_the_layer_and_change_nothing()
    {
        using var mlp = CreateMlp(seed: 16, name: "blocks.5.mlp");
        using var attention = AttentionShapes["mha"].Create(seed: 17, name: "blocks.5.attn");
        var mlpSnapshot = Snapshot(mlp);
        var attentionSnapshot = Snapshot(attention);

        var count = Assert.Throws<ArgumentException>(() => ImportanceSorting.Sort(mlp, new double[3]));
        Assert.Contains("'blocks.5.mlp'", count.Message);
        var nan = new double[mlp.HiddenMax];
        nan[4] = double.NaN;
        var notFinite = Assert.Throws<ArgumentException>(() => ImportanceSorting.Sort(mlp, nan));
        Assert.Contains("finite", notFinite.Message);
        var heads = Assert.Throws<ArgumentException>(() => ImportanceSorting.Sort(attention, new double[7]));
        Assert.Contains("'blocks.5.attn'", heads.Message);
        var wrongWidth = Assert.Throws<ArgumentException>(
            () => ImportanceScores.MlpNeuronsFromActivations(mlp, zeros(2, 3)));
        Assert.Contains("'blocks.5.mlp'", wrongWidth.Message);

        AssertUnchanged(mlp, mlpSnapshot);
        AssertUnchanged(attention, attentionSnapshot);
    }

    [Fact]
    public void An_optimizer_built_before_sorting_keeps_training_the_sorted_layer()
    {
        var shape = AttentionShapes["gqa"];
        using var attention = shape.Create(seed: 18);
        using var scope = NewDisposeScope();
        var parameters = attention.parameters().ToArray();
        using var optimizer = optim.SGD(attention.parameters(), learningRate: 0.05);

        ImportanceSorting.Sort(attention);

        foreach (var (old, now) in parameters.Zip(attention.parameters()))
            Assert.Same(old, now);
        var x = randn([2, 4, shape.DimMax], generator: new Generator(19));
        optimizer.zero_grad();
        attention.forward(x).square().sum().backward();
        var expected = (attention.Query.weight!.detach() - 0.05 * attention.Query.weight!.grad!).clone();
        optimizer.step();
        Close(expected, attention.Query.weight!.detach(), 1e-6, "SGD step on the sorted layer");
    }
}
