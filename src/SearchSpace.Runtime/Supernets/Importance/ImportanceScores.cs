using TorchSharp;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Supernets;

/// <summary>
/// Importance scores of the units of the entangled layers (hidden neurons, attention heads, key/value groups,
/// dimensions within heads), for importance sorting (<see cref="ImportanceSorting"/>): a larger score means a more
/// important unit. Every score is indexed by the unit's current stored position and computed on the max-size weights,
/// whatever sub-network is active.
/// </summary>
/// <remarks>
/// <para>The weight-based scores need no data. Each multiplies the magnitude of the weights that write a unit with the
/// magnitude of the weights that read it: the product bounds how much the unit can change the layer's output for an
/// input of a given size, and, unlike either factor alone, it does not change when a unit's input weights are scaled
/// up and its output weights down by the same factor (exactly so for the linear paths; GELU is only nearly
/// homogeneous). Biases are not counted.</para>
/// <para>The activation-based scores run the full-size layer on a batch of the layer's inputs (which the caller
/// collects, e.g. by running the model's blocks up to this layer) and measure each unit's actual contribution. They
/// cost a forward pass and depend on the data.</para>
/// <para>All computations run under <c>torch.no_grad()</c>, in double precision on the weights' device, and return
/// plain arrays; nothing in the layers changes.</para>
/// </remarks>
public static class ImportanceScores
{
    /// <summary>
    /// Weight-based scores of the MLP's hidden neurons: <c>s_i = ‖fc1.W[i, :]‖₂ · ‖fc2.W[:, i]‖₂</c>, the norm of the
    /// neuron's input weights (its row of <c>fc1</c>) times the norm of its output weights (its column of <c>fc2</c>).
    /// </summary>
    /// <param name="mlp">The MLP.</param>
    /// <returns><see cref="EntangledMlp.HiddenMax"/> scores, by stored neuron position.</returns>
    public static double[] MlpNeurons(EntangledMlp mlp)
    {
        ArgumentNullException.ThrowIfNull(mlp);
        using var scope = NewDisposeScope();
        using var noGrad = torch.no_grad();
        var rows = RowNorms(mlp.Fc1.Weight);                 // [hiddenMax]
        var columns = RowNorms(mlp.Fc2.Weight.t());          // [hiddenMax]
        return ToArray(rows * columns);
    }

    /// <summary>
    /// Activation-based scores of the MLP's hidden neurons: <c>s_i = mean over tokens |GELU(fc1(x))_i| · ‖fc2.W[:, i]‖₂</c>,
    /// the average magnitude of the neuron's activation times the norm of its output weights, on the full-size MLP
    /// (biases included when the layer has them).
    /// </summary>
    /// <param name="mlp">The MLP.</param>
    /// <param name="input">A batch of the MLP's inputs, any leading shape, last dimension <see cref="EntangledMlp.DimMax"/>.</param>
    /// <returns><see cref="EntangledMlp.HiddenMax"/> scores, by stored neuron position.</returns>
    /// <exception cref="ArgumentException">The input's last dimension is not <see cref="EntangledMlp.DimMax"/>.</exception>
    public static double[] MlpNeuronsFromActivations(EntangledMlp mlp, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(mlp);
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() == 0 || input.size(-1) != mlp.DimMax || input.numel() == 0)
            throw new ArgumentException(
                $"Layer '{mlp.GetName()}': importance from activations needs a non-empty input of full width {mlp.DimMax} "
                + $"in its last dimension, got shape [{string.Join(", ", input.shape)}].", nameof(input));
        using var scope = NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = input.to(mlp.Fc1.Weight.dtype, mlp.Fc1.Weight.device);
        var hidden = nn.functional.gelu(nn.functional.linear(x, mlp.Fc1.Weight, mlp.Fc1.Bias));
        var meanMagnitude = hidden.abs().reshape(-1, mlp.HiddenMax).to_type(ScalarType.Float64).mean([0]);
        return ToArray(meanMagnitude * RowNorms(mlp.Fc2.Weight.t()));
    }

    /// <summary>
    /// Weight-based scores of the attention's query heads: <c>s_i = ‖V_g‖_F · ‖O_i‖_F</c>, where <c>V_g</c> is the block of
    /// value-weight rows of the key/value head <c>g</c> that head <c>i</c> reads (<c>g = i</c> for multi-head attention;
    /// its group under grouped-query attention) and <c>O_i</c> is head <c>i</c>'s block of output-weight columns. Head
    /// <c>i</c> adds <c>O_i · V_g · (x averaged by attention)</c> to the output, so the product bounds its contribution;
    /// the query and key weights only decide where a head attends, not how much it writes, and are not counted.
    /// </summary>
    /// <remarks>Under grouped-query attention the value factor is shared by a group, so the heads of a group are ranked by
    /// <c>‖O_i‖_F</c> alone, and the group's score (<see cref="AttentionKvGroups"/>) is <c>‖V_g‖_F · ‖O_g‖_F</c>, the L2
    /// norm of its heads' scores.</remarks>
    /// <param name="attention">The attention layer.</param>
    /// <returns><see cref="EntangledSelfAttention.HeadsMax"/> scores, by stored head position.</returns>
    public static double[] AttentionHeads(EntangledSelfAttention attention)
    {
        ArgumentNullException.ThrowIfNull(attention);
        using var scope = NewDisposeScope();
        using var noGrad = torch.no_grad();
        var values = BlockNorms(attention.Value.weight!, attention.KvHeadsMax);         // [kvHeads]
        var outputs = BlockNorms(attention.Output.weight!.t(), attention.HeadsMax);     // [heads]
        var perHead = values.repeat_interleave(attention.QueriesPerGroupMax);               // kv head of each head
        return ToArray(perHead * outputs);
    }

    /// <summary>
    /// Activation-based scores of the attention's query heads: <c>s_i = mean over tokens ‖O_i · a_i(x)‖₂</c>, the average
    /// norm of head <c>i</c>'s contribution to the output, where <c>a_i(x)</c> is the head's causal attention output on
    /// the full-size layer (biases of query, key and value included when present).
    /// </summary>
    /// <param name="attention">The attention layer.</param>
    /// <param name="input">A batch of the layer's inputs, <c>[batch, seq, DimMax]</c>.</param>
    /// <returns><see cref="EntangledSelfAttention.HeadsMax"/> scores, by stored head position.</returns>
    /// <exception cref="ArgumentException">The input is not <c>[batch, seq, DimMax]</c>.</exception>
    public static double[] AttentionHeadsFromActivations(EntangledSelfAttention attention, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(attention);
        ArgumentNullException.ThrowIfNull(input);
        SelfAttention.CheckInput(input, attention.DimMax, attention.GetName());
        using var scope = NewDisposeScope();
        using var noGrad = torch.no_grad();
        var weight = attention.Query.weight!;
        var x = input.to(weight.dtype, weight.device);
        long batch = x.shape[0], seq = x.shape[1];
        long heads = attention.HeadsMax, kvHeads = attention.KvHeadsMax, hs = attention.HeadSizeMax;
        var q = nn.functional.linear(x, attention.Query.weight!, attention.Query.bias).view(batch, seq, heads, hs).transpose(1, 2);
        var k = nn.functional.linear(x, attention.Key.weight!, attention.Key.bias).view(batch, seq, kvHeads, hs).transpose(1, 2);
        var v = nn.functional.linear(x, attention.Value.weight!, attention.Value.bias).view(batch, seq, kvHeads, hs).transpose(1, 2);
        if (kvHeads != heads)
        {
            k = k.repeat_interleave(heads / kvHeads, dim: 1);
            v = v.repeat_interleave(heads / kvHeads, dim: 1);
        }
        var attended = nn.functional.scaled_dot_product_attention(q, k, v, is_casual: true);    // [b, h, t, hs]
        // O_i as [h, hs, dim]: output-weight columns of head i, transposed.
        var outputBlocks = attention.Output.weight!.t().reshape(heads, hs, attention.DimMax);
        var contributions = attended.matmul(outputBlocks);                                       // [b, h, t, dim]
        var norms = contributions.to_type(ScalarType.Float64).norm(3);                          // [b, h, t]
        return ToArray(norms.mean([0, 2]));
    }

    /// <summary>
    /// Weight-based scores of the key/value heads: <c>s_g = ‖V_g‖_F · ‖O_g‖_F</c>, where <c>O_g</c> holds the output-weight
    /// columns of all query heads of group <c>g</c>; this is the L2 norm of the scores <see cref="AttentionHeads"/> gives
    /// the group's query heads, and does not change when heads are reordered within groups. For multi-head attention
    /// (every head its own group) these are the head scores.
    /// </summary>
    /// <param name="attention">The attention layer.</param>
    /// <returns><see cref="EntangledSelfAttention.KvHeadsMax"/> scores, by stored key/value head position.</returns>
    public static double[] AttentionKvGroups(EntangledSelfAttention attention) =>
        GroupScores(attention, AttentionHeads(attention));

    /// <summary>
    /// The score of each key/value group from scores of its query heads: the L2 norm of the heads' scores (for the
    /// weight-based head scores, <c>‖V_g‖_F · ‖O_g‖_F</c>).
    /// </summary>
    /// <param name="attention">The attention layer.</param>
    /// <param name="headScores"><see cref="EntangledSelfAttention.HeadsMax"/> head scores, by stored head position.</param>
    /// <returns><see cref="EntangledSelfAttention.KvHeadsMax"/> scores.</returns>
    /// <exception cref="ArgumentException">The number of head scores is not <see cref="EntangledSelfAttention.HeadsMax"/>.</exception>
    public static double[] GroupScores(EntangledSelfAttention attention, ReadOnlySpan<double> headScores)
    {
        ArgumentNullException.ThrowIfNull(attention);
        CheckCount(attention.GetName(), nameof(headScores), "head scores", headScores.Length, attention.HeadsMax);
        int perGroup = attention.QueriesPerGroupMax;
        var groups = new double[attention.KvHeadsMax];
        for (var g = 0; g < groups.Length; g++)
        {
            double sum = 0;
            for (var j = 0; j < perGroup; j++)
                sum += headScores[g * perGroup + j] * headScores[g * perGroup + j];
            groups[g] = Math.Sqrt(sum);
        }
        return groups;
    }

    /// <summary>
    /// Weight-based scores of the query/key dimensions within each key/value head:
    /// <c>s_{g,j} = ‖K_{g,j}‖₂ · (Σ_{i ∈ group g} ‖Q_{i,j}‖₂²)^½</c>, where <c>K_{g,j}</c> is row <c>j</c> of key head
    /// <c>g</c> and <c>Q_{i,j}</c> row <c>j</c> of query head <c>i</c> (for multi-head attention the group is head
    /// <c>g</c> alone). Dimension <c>j</c> adds <c>(Q_{i,j}·x)(K_{g,j}·x')</c> to every score of the group.
    /// </summary>
    /// <param name="attention">The attention layer.</param>
    /// <returns><c>KvHeadsMax·HeadSizeMax</c> scores, index <c>g·HeadSizeMax + j</c>.</returns>
    public static double[] AttentionQueryKeyDims(EntangledSelfAttention attention)
    {
        ArgumentNullException.ThrowIfNull(attention);
        using var scope = NewDisposeScope();
        using var noGrad = torch.no_grad();
        var keys = RowNorms(attention.Key.weight!);                                          // [kv·hs]
        var queries = GroupedRowNorms(attention, RowNorms(attention.Query.weight!));         // [kv·hs]
        return ToArray(keys * queries);
    }

    /// <summary>
    /// Weight-based scores of the value dimensions within each key/value head:
    /// <c>s_{g,j} = ‖V_{g,j}‖₂ · (Σ_{i ∈ group g} ‖O_{:, i,j}‖₂²)^½</c>, where <c>V_{g,j}</c> is row <c>j</c> of value
    /// head <c>g</c> and <c>O_{:, i,j}</c> the output-weight column of dimension <c>j</c> of query head <c>i</c>.
    /// </summary>
    /// <param name="attention">The attention layer.</param>
    /// <returns><c>KvHeadsMax·HeadSizeMax</c> scores, index <c>g·HeadSizeMax + j</c>.</returns>
    public static double[] AttentionValueDims(EntangledSelfAttention attention)
    {
        ArgumentNullException.ThrowIfNull(attention);
        using var scope = NewDisposeScope();
        using var noGrad = torch.no_grad();
        var values = RowNorms(attention.Value.weight!);                                          // [kv·hs]
        var outputs = GroupedRowNorms(attention, RowNorms(attention.Output.weight!.t()));        // [kv·hs]
        return ToArray(values * outputs);
    }

    /// <summary>Throws unless a count of scores is the number of units; the message names the layer.</summary>
    internal static void CheckCount(string layer, string parameterName, string what, int actual, int expected)
    {
        if (actual != expected)
            throw new ArgumentException(
                $"Layer '{layer}': expected {expected} {what} (one per unit), got {actual}.", parameterName);
    }

    /// <summary>The L2 norm of each row of a matrix, in double precision: <c>[rows]</c>.</summary>
    private static Tensor RowNorms(Tensor matrix) => matrix.to_type(ScalarType.Float64).norm(1);

    /// <summary>The Frobenius norm of each of <paramref name="blocks"/> equal blocks of consecutive rows: <c>[blocks]</c>.</summary>
    private static Tensor BlockNorms(Tensor matrix, long blocks) =>
        matrix.to_type(ScalarType.Float64).reshape(blocks, -1).norm(1);

    /// <summary>
    /// From per-row norms of the query rows (or output columns), <c>[heads·hs]</c>, the root of the summed squares over
    /// each group's query heads, dimension by dimension: <c>[kvHeads·hs]</c>.
    /// </summary>
    private static Tensor GroupedRowNorms(EntangledSelfAttention attention, Tensor rowNorms) =>
        rowNorms.reshape(attention.KvHeadsMax, attention.QueriesPerGroupMax, attention.HeadSizeMax)
            .square().sum(1).sqrt().reshape(-1);

    private static double[] ToArray(Tensor scores) =>
        scores.to_type(ScalarType.Float64).cpu().contiguous().data<double>().ToArray();
}
