using TorchSharp;
using TorchSharp.Modules;
using SearchSpaceDsl.Supernets.Gradient;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Supernets;

/// <summary>
/// Weight-entangled causal multi-head self-attention (optionally grouped-query) holding max-size weights
/// (BRIEF section 3). Parameters: <c>query</c> <c>[headsMax·headSizeMax, dimMax]</c>, <c>key</c> and <c>value</c>
/// <c>[kvHeadsMax·headSizeMax, dimMax]</c>, <c>output</c> <c>[dimMax, headsMax·headSizeMax]</c>, each with an optional
/// bias (state-dict names <c>query.weight</c>, <c>query.bias</c>, …). Heads are stored contiguously: head i owns rows
/// <c>i·headSizeMax … i·headSizeMax+headSizeMax-1</c> of each projection.
/// </summary>
/// <remarks>
/// <para>The active sub-network uses input columns <c>[:dim]</c>, the first <c>heads</c> query heads and, within each
/// head, its first <c>headSize</c> rows; the output projection uses rows <c>[:dim]</c> and the columns of the active
/// heads' active rows. With grouped-query attention, query heads are grouped by key/value group (group g owns query heads
/// <c>g·qPerGroupMax … g·qPerGroupMax+qPerGroupMax-1</c> and key/value head g), and the sub-network uses the first
/// <c>kvGroups</c> groups and the first <c>heads / kvGroups</c> query heads of each.</para>
/// <para>Where the forward copies: when the selection is a prefix (head size at its max, and with grouped-query
/// attention all query heads of each active group), every weight is a <c>narrow</c> view of the max weight: no copy.
/// When the head size is below its max, the q/k/v weights and biases and the output weight are strided selections that
/// <c>reshape</c> gathers into a contiguous temporary (one copy each per forward; gradients flow back into the slice).
/// With grouped-query attention and fewer query heads per group than the max, the query weight and bias and the output
/// weight are gathered likewise, while key/value stay views if the head size is at its max. A size-1 outer dimension
/// (one head or one group) lets <c>reshape</c> return a view. The activations are copied where any attention layer copies
/// them (merging heads after attention; repeating key/value heads per group).</para>
/// </remarks>
public sealed class EntangledSelfAttention : nn.Module<Tensor, Tensor>, IEntangledModule, IMixableModule
{
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
    private readonly Linear output;

    // Query heads are viewed as [queryGroupsMax, queriesPerGroupMax] heads: for multi-head attention every head is its
    // own group of one (queryGroupsMax = headsMax, queriesPerGroupMax = 1), so one code path serves both kinds.
    private readonly int queryGroupsMax;
    private readonly int queriesPerGroupMax;

    private int activeDim;
    private int activeHeads;
    private int activeHeadSize;
    private int activeKvGroups;
    private bool activeBias;
    private SizeDistribution? mixDim;
    private SizeDistribution? mixHeads;
    private SizeDistribution? mixBias;
    private bool mixed;

    /// <summary>Creates the supernet layer with freshly initialized max-size weights; all sizes start at their max.</summary>
    /// <param name="name">The module name, used in error messages.</param>
    /// <param name="dimMax">Largest model width.</param>
    /// <param name="headsMax">Largest number of query heads.</param>
    /// <param name="headSizeMax">Largest head size (the stride between heads in the projections).</param>
    /// <param name="hasBias">Whether the projections hold biases (a sub-network may still turn them off).</param>
    /// <param name="kvGroupsMax">Largest number of key/value groups for grouped-query attention; 0 for plain multi-head
    /// attention. Must divide <paramref name="headsMax"/>.</param>
    /// <param name="device">Device of the parameters; the default device when null.</param>
    /// <param name="dtype">Element type of the parameters; the default type when null.</param>
    public EntangledSelfAttention(string name, int dimMax, int headsMax, int headSizeMax, bool hasBias,
        int kvGroupsMax = 0, Device? device = null, ScalarType? dtype = null)
        : base(EntangledSlicing.LayerName(name))
    {
        EntangledSlicing.CheckMaxSize(name, nameof(dimMax), "width", dimMax);
        EntangledSlicing.CheckMaxSize(name, nameof(headsMax), "number of heads", headsMax);
        EntangledSlicing.CheckMaxSize(name, nameof(headSizeMax), "head size", headSizeMax);
        SelfAttention.CheckKvGroups(name, nameof(kvGroupsMax), kvGroupsMax, nameof(headsMax), headsMax);

        DimMax = dimMax;
        HeadsMax = headsMax;
        HeadSizeMax = headSizeMax;
        KvGroupsMax = kvGroupsMax;
        HasBias = hasBias;
        queryGroupsMax = kvGroupsMax == 0 ? headsMax : kvGroupsMax;
        queriesPerGroupMax = headsMax / queryGroupsMax;

        query = nn.Linear(dimMax, (long)headsMax * headSizeMax, hasBias, device, dtype);
        key = nn.Linear(dimMax, (long)KvHeadsMax * headSizeMax, hasBias, device, dtype);
        value = nn.Linear(dimMax, (long)KvHeadsMax * headSizeMax, hasBias, device, dtype);
        output = nn.Linear((long)headsMax * headSizeMax, dimMax, hasBias, device, dtype);
        RegisterComponents();

        activeDim = dimMax;
        activeHeads = headsMax;
        activeHeadSize = headSizeMax;
        activeKvGroups = kvGroupsMax;
        activeBias = hasBias;
    }

    /// <summary>Largest model width.</summary>
    public int DimMax { get; }

    /// <summary>Largest number of query heads.</summary>
    public int HeadsMax { get; }

    /// <summary>Largest head size.</summary>
    public int HeadSizeMax { get; }

    /// <summary>Largest number of key/value groups; 0 for plain multi-head attention.</summary>
    public int KvGroupsMax { get; }

    /// <summary>Whether the layer is grouped-query attention (<see cref="KvGroupsMax"/> &gt; 0).</summary>
    public bool IsGroupedQuery => KvGroupsMax > 0;

    /// <summary>Number of stored key/value heads: <see cref="HeadsMax"/> for multi-head attention, else <see cref="KvGroupsMax"/>.</summary>
    public int KvHeadsMax => KvGroupsMax == 0 ? HeadsMax : KvGroupsMax;

    /// <summary>Whether the projections hold biases.</summary>
    public bool HasBias { get; }

    /// <summary>Active model width.</summary>
    public int ActiveDim => activeDim;

    /// <summary>Active number of query heads.</summary>
    public int ActiveHeads => activeHeads;

    /// <summary>Active head size.</summary>
    public int ActiveHeadSize => activeHeadSize;

    /// <summary>Active number of key/value groups; 0 for plain multi-head attention.</summary>
    public int ActiveKvGroups => activeKvGroups;

    /// <summary>Active number of key/value heads: <see cref="ActiveHeads"/> for multi-head attention, else <see cref="ActiveKvGroups"/>.</summary>
    public int ActiveKvHeads => activeKvGroups == 0 ? activeHeads : activeKvGroups;

    /// <summary>Whether the active sub-network uses the biases (never when the layer has none).</summary>
    public bool ActiveBias => activeBias;

    /// <summary>The max-size query projection, <c>[headsMax·headSizeMax, dimMax]</c>.</summary>
    public Linear Query => query;

    /// <summary>The max-size key projection, <c>[kvHeadsMax·headSizeMax, dimMax]</c>.</summary>
    public Linear Key => key;

    /// <summary>The max-size value projection, <c>[kvHeadsMax·headSizeMax, dimMax]</c>.</summary>
    public Linear Value => value;

    /// <summary>The max-size output projection, <c>[dimMax, headsMax·headSizeMax]</c>.</summary>
    public Linear Output => output;

    /// <summary>
    /// Selects the active sub-network. Stores integers only: allocates nothing and copies no weight.
    /// </summary>
    /// <param name="dim">Model width, 1 … <see cref="DimMax"/>.</param>
    /// <param name="heads">Query heads, 1 … <see cref="HeadsMax"/>; with grouped-query attention a multiple of
    /// <paramref name="kvGroups"/> with at most <c>headsMax / kvGroupsMax</c> heads per group.</param>
    /// <param name="headSize">Head size, 1 … <see cref="HeadSizeMax"/>.</param>
    /// <param name="useBias">Whether the biases are used; ignored (no bias) when the layer has none.</param>
    /// <param name="kvGroups">Key/value groups, 1 … <see cref="KvGroupsMax"/> for grouped-query attention; must be 0
    /// for plain multi-head attention.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is outside its allowed range; the message names the layer and
    /// the range.</exception>
    public void SetActive(int dim, int heads, int headSize, bool useBias = true, int kvGroups = 0)
    {
        if (dim < 1 || dim > DimMax) throw OutOfRange(nameof(dim), dim, $"1 … {DimMax}");
        if (headSize < 1 || headSize > HeadSizeMax) throw OutOfRange(nameof(headSize), headSize, $"1 … {HeadSizeMax}");
        if (KvGroupsMax == 0)
        {
            if (kvGroups != 0)
                throw OutOfRange(nameof(kvGroups), kvGroups, "0 only (the layer is plain multi-head attention)");
            if (heads < 1 || heads > HeadsMax) throw OutOfRange(nameof(heads), heads, $"1 … {HeadsMax}");
        }
        else
        {
            if (kvGroups < 1 || kvGroups > KvGroupsMax)
                throw OutOfRange(nameof(kvGroups), kvGroups, $"1 … {KvGroupsMax} (the layer is grouped-query attention)");
            if (heads < kvGroups || heads > kvGroups * queriesPerGroupMax || heads % kvGroups != 0)
                throw OutOfRange(nameof(heads), heads,
                    $"a multiple of kvGroups = {kvGroups} from {kvGroups} to {kvGroups * queriesPerGroupMax} "
                    + $"(at most {queriesPerGroupMax} query heads per group)");
        }

        activeDim = dim;
        activeHeads = heads;
        activeHeadSize = headSize;
        activeKvGroups = kvGroups;
        activeBias = useBias && HasBias;
        mixed = false;
        mixDim = mixHeads = mixBias = null;
    }

    /// <inheritdoc />
    public bool IsMixed => mixed;

    /// <summary>
    /// Sets a mixture (TangleNAS). The layer runs at its max sizes on an input that arrives masked by the layer that
    /// produced it (so the query, key and value weights are not masked again: one mask per size keeps the output linear in
    /// the option weights); the output projection uses rows masked by <c>m_dim</c> and the columns
    /// of head <c>j</c> scaled by <c>m_heads[j] = Σ_{i: hᵢ &gt; j} αᵢ</c>; biases are scaled by <c>P(bias)</c> (and the output
    /// bias by <c>m_dim</c>). Masking whole heads at the output projection makes the heads part exactly
    /// <c>Σ αᵢ · (attention with the first hᵢ heads)</c>: the heads a sub-network keeps compute the same thing whatever
    /// the number of heads. The head size and grouped-query groups cannot be mixed (the scale <c>1/√hs</c> and the
    /// grouping change with them): they must be constant at their max.
    /// </summary>
    /// <param name="dim">The distribution of the width; null for the max.</param>
    /// <param name="heads">The distribution of the number of query heads; null for the max.</param>
    /// <param name="headSize">Null or a constant equal to <see cref="HeadSizeMax"/>.</param>
    /// <param name="useBias">The distribution of the bias switch (values 0/1); null for on.</param>
    /// <param name="kvGroups">Null or a constant (0 for multi-head attention, <see cref="KvGroupsMax"/> otherwise).</param>
    /// <exception cref="ArgumentException">An option exceeds a max size; nothing changes.</exception>
    /// <exception cref="NotSupportedException">The head size or the groups are mixed, or heads are mixed under grouped-query attention.</exception>
    public void SetMixture(SizeDistribution? dim, SizeDistribution? heads, SizeDistribution? headSize = null,
        SizeDistribution? useBias = null, SizeDistribution? kvGroups = null)
    {
        string name = GetName();
        if (dim is not null && dim.Values.Any(v => v < 1 || v > DimMax))
            throw new ArgumentException($"Layer '{name}': the mixture has a width option outside [1, {DimMax}] ({dim}): build the supernet with a capacity that holds every option.", nameof(dim));
        if (heads is not null && heads.Values.Any(v => v < 1 || v > HeadsMax))
            throw new ArgumentException($"Layer '{name}': the mixture has a heads option outside [1, {HeadsMax}] ({heads}): build the supernet with a capacity that holds every option.", nameof(heads));
        if (headSize is not null && headSize.Values.Any(v => v != HeadSizeMax))
            throw new NotSupportedException($"Layer '{name}': the head size cannot be mixed (the attention scale 1/√hs changes with it); it must be {HeadSizeMax}, got {headSize}.");
        if (kvGroups is not null && kvGroups.Values.Any(v => v != KvGroupsMax))
            throw new NotSupportedException($"Layer '{name}': the key/value groups cannot be mixed; they must be {KvGroupsMax}, got {kvGroups}.");
        if (KvGroupsMax != 0 && heads is not null && heads.Values.Any(v => v != HeadsMax))
            throw new NotSupportedException($"Layer '{name}': the number of heads cannot be mixed under grouped-query attention; got {heads}.");
        SetActive(DimMax, HeadsMax, HeadSizeMax, true, KvGroupsMax);
        (mixDim, mixHeads, mixBias, mixed) = (dim, heads, useBias, true);
    }

    /// <inheritdoc />
    public void ClearMixture()
    {
        mixed = false;
        mixDim = mixHeads = mixBias = null;
    }

    private Tensor MixedForward(Tensor input)
    {
        SelfAttention.CheckInput(input, DimMax, GetName());
        using var scope = NewDisposeScope();
        var w = SelectActiveWeights();
        var dtype = query.weight!.dtype;
        var device = query.weight.device;
        var mD = mixDim?.Mask(DimMax, dtype, device, GetName(), "width");
        var mH = mixHeads?.Mask(HeadsMax, dtype, device, GetName(), "heads");
        Tensor? pBias = mixBias is null ? null : mixBias.Expected(dtype, device);
        bool biasOff = mixBias is { IsConstant: true } && mixBias.Values[0] == 0;

        Tensor? Bias(Tensor? bias) => bias is null || biasOff ? null : pBias is null ? bias : bias.mul(pBias);

        var wo = w.Output;
        if (mD is not null)
            wo = wo.mul(mD.unsqueeze(1));
        if (mH is not null)
            wo = wo.mul(mH.unsqueeze(1).expand(HeadsMax, HeadSizeMax).reshape(1, -1));
        var bo = Bias(w.OutputBias);
        if (bo is not null && mD is not null)
            bo = bo.mul(mD);
        return SelfAttention.Attend(input, w.Query, Bias(w.QueryBias), w.Key, Bias(w.KeyBias),
            w.Value, Bias(w.ValueBias), wo, bo, HeadsMax, ActiveKvHeads, HeadSizeMax).MoveToOuterDisposeScope();
    }

    private ArgumentOutOfRangeException OutOfRange(string parameter, int actual, string allowed) =>
        new(parameter, actual, $"Layer '{GetName()}': {parameter} = {actual} is outside the allowed range: {allowed}.");

    /// <inheritdoc />
    public long ActiveParameterCount =>
        CountParameters(activeDim, activeHeads, activeHeadSize, activeBias, activeKvGroups);

    /// <summary>
    /// The parameters of self-attention with <c>h</c> query heads and <c>kv</c> key/value heads of size <c>hs</c>
    /// (<c>kv = h</c> for multi-head attention): <c>dim·(2·h·hs + 2·kv·hs)</c> weights (query and output, key and value),
    /// plus <c>h·hs + 2·kv·hs + dim</c> biases with biases.
    /// </summary>
    /// <param name="dim">Model width, at least 1.</param>
    /// <param name="heads">Query heads, at least 1.</param>
    /// <param name="headSize">Head size, at least 1.</param>
    /// <param name="bias">Whether the four projections add a bias.</param>
    /// <param name="kvGroups">Key/value groups of grouped-query attention (a divisor of <paramref name="heads"/>); 0 for
    /// multi-head attention.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1, or <paramref name="kvGroups"/> is neither 0 nor a
    /// divisor of <paramref name="heads"/>.</exception>
    public static long CountParameters(int dim, int heads, int headSize, bool bias, int kvGroups = 0)
    {
        var (d, inner, kvInner) = CostSizes(dim, heads, headSize, kvGroups);
        return d * (2 * inner + 2 * kvInner) + (bias ? inner + 2 * kvInner + d : 0);
    }

    /// <summary>
    /// The forward FLOPs per token when attending to <paramref name="context"/> positions (<see cref="FlopConventions"/>),
    /// with <c>h</c> query heads, <c>kv</c> key/value heads of size <c>hs</c> and context <c>T</c>:
    /// <list type="bullet">
    /// <item>projections: <c>2·dim·h·hs</c> (query) + <c>2·2·dim·kv·hs</c> (key, value) + <c>2·h·hs·dim</c> (output), plus
    /// <c>h·hs + 2·kv·hs + dim</c> with biases;</item>
    /// <item>scores QKᵀ: <c>2·T·hs</c> per query head; softmax: <c>5·T</c> per query head
    /// (<see cref="FlopConventions.SoftmaxPerScore"/>, the 1/√hs scaling included); AV: <c>2·T·hs</c> per query head.</item>
    /// </list>
    /// The full <c>T</c> positions are counted for every token (no saving for causal masking), and repeating key/value
    /// heads for grouped-query attention costs nothing.
    /// </summary>
    /// <param name="dim">Model width, at least 1.</param>
    /// <param name="heads">Query heads, at least 1.</param>
    /// <param name="headSize">Head size, at least 1.</param>
    /// <param name="bias">Whether the four projections add a bias.</param>
    /// <param name="context">The number of positions each token attends to (the sequence length), at least 1.</param>
    /// <param name="kvGroups">Key/value groups of grouped-query attention (a divisor of <paramref name="heads"/>); 0 for
    /// multi-head attention.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size or the context is below 1, or <paramref name="kvGroups"/> is
    /// neither 0 nor a divisor of <paramref name="heads"/>.</exception>
    public static long CountFlopsPerToken(int dim, int heads, int headSize, bool bias, int context, int kvGroups = 0)
    {
        var (d, inner, kvInner) = CostSizes(dim, heads, headSize, kvGroups);
        long t = EntangledSlicing.CheckCostSize(nameof(context), context);
        long projections = 2 * d * inner + 2 * (2 * d * kvInner) + 2 * inner * d;
        long biases = bias ? inner + 2 * kvInner + d : 0;
        long scores = 2 * t * inner;                                     // heads · 2·T·hs
        long softmax = (long)heads * FlopConventions.SoftmaxPerScore * t;
        long weightedValues = 2 * t * inner;                             // heads · 2·T·hs
        return projections + biases + scores + softmax + weightedValues;
    }

    /// <summary>Validates the sizes of a cost formula; returns the width and the query and key/value inner widths.</summary>
    private static (long Dim, long Inner, long KvInner) CostSizes(int dim, int heads, int headSize, int kvGroups)
    {
        EntangledSlicing.CheckCostSize(nameof(dim), dim);
        EntangledSlicing.CheckCostSize(nameof(heads), heads);
        EntangledSlicing.CheckCostSize(nameof(headSize), headSize);
        if (kvGroups < 0 || (kvGroups > 0 && heads % kvGroups != 0))
            throw new ArgumentOutOfRangeException(nameof(kvGroups), kvGroups,
                $"kvGroups must be 0 (multi-head attention) or a divisor of heads = {heads}.");
        var kvHeads = kvGroups == 0 ? heads : kvGroups;
        return (dim, (long)heads * headSize, (long)kvHeads * headSize);
    }

    /// <summary>Causal self-attention of the active sub-network, <c>[batch, seq, dim]</c> → <c>[batch, seq, dim]</c>.</summary>
    public override Tensor forward(Tensor input)
    {
        if (mixed)
            return MixedForward(input);
        SelfAttention.CheckInput(input, activeDim, GetName());
        using var scope = NewDisposeScope();
        var w = SelectActiveWeights();
        return SelfAttention.Attend(input, w.Query, w.QueryBias, w.Key, w.KeyBias, w.Value, w.ValueBias, w.Output,
            w.OutputBias, activeHeads, ActiveKvHeads, activeHeadSize).MoveToOuterDisposeScope();
    }

    /// <summary>Query heads per key/value group at the max sizes: 1 for multi-head attention (every head its own group).</summary>
    public int QueriesPerGroupMax => queriesPerGroupMax;

    /// <summary>
    /// Reorders query heads in place: the head stored at position <c>i</c> afterwards is the one that was at
    /// <c>order[i]</c>. The full-size layer computes exactly the same function; what changes is which heads a prefix keeps
    /// (BRIEF section 3; used by importance sorting).
    /// </summary>
    /// <remarks>
    /// <para>Multi-head attention: whole heads move, i.e. the blocks of <c>headSizeMax</c> rows of the query, key and
    /// value weights and biases and the matching column blocks of the output weight. Attention is computed per head and
    /// the output projection sums over heads, so the output is unchanged.</para>
    /// <para>Grouped-query attention: a query head may only move within its key/value group (the group of
    /// <see cref="QueriesPerGroupMax"/> consecutive heads it shares key/value head <c>g</c> with), since moving it to
    /// another group would pair it with another key/value head and change the function. Only the query rows (and bias)
    /// and the output columns move; key and value stay. To reorder whole groups, use <see cref="PermuteKvGroups"/>.</para>
    /// <para>Parameters are modified in place under <c>torch.no_grad()</c> (<c>index_select</c> into a temporary, then
    /// <c>copy_</c>): the same parameter objects keep their storage, so an optimizer built before still updates them.
    /// Existing gradients are permuted with their weights; optimizer state such as momentum is not. Active sizes are
    /// unchanged.</para>
    /// </remarks>
    /// <param name="order">A permutation of <c>[0, HeadsMax)</c>; with grouped-query attention one that maps each group's
    /// heads <c>g·r … g·r+r-1</c> (<c>r = QueriesPerGroupMax</c>) onto themselves.</param>
    /// <exception cref="ArgumentException"><paramref name="order"/> is not such a permutation (wrong length, an entry out
    /// of range or repeated, a head moved across groups); the message names this layer, and nothing is changed.</exception>
    public void PermuteHeads(ReadOnlySpan<long> order)
    {
        if (!IsGroupedQuery)
        {
            var heads = EntangledPermutation.Check(GetName(), nameof(order), "attention heads", order, HeadsMax);
            PermuteGroupBlocks(heads);
            return;
        }

        var within = EntangledPermutation.Check(GetName(), nameof(order), "query heads", order, HeadsMax,
            queriesPerGroupMax, "key/value group");
        var rows = EntangledPermutation.ExpandBlocks(within, HeadSizeMax);
        EntangledPermutation.PermuteInPlace(query.weight, 0, rows);
        EntangledPermutation.PermuteInPlace(query.bias, 0, rows);
        EntangledPermutation.PermuteInPlace(output.weight, 1, rows);
    }

    /// <summary>
    /// Grouped-query attention only: reorders whole key/value groups in place, each with its query heads. The group
    /// stored at position <c>i</c> afterwards is the one that was at <c>order[i]</c>: key/value head <c>order[i]</c>
    /// (its <c>headSizeMax</c> rows of the key and value weights and biases) moves to position <c>i</c> together with its
    /// <see cref="QueriesPerGroupMax"/> query heads (their rows of the query weight and bias and the matching columns of
    /// the output weight), in their order within the group. Every query head keeps its key/value head, so the full-size
    /// layer computes exactly the same function; what changes is which groups a prefix of <c>kvGroups</c> keeps.
    /// </summary>
    /// <remarks>In place, like <see cref="PermuteHeads"/>; the parameter objects are unchanged.</remarks>
    /// <param name="order">A permutation of <c>[0, KvGroupsMax)</c>.</param>
    /// <exception cref="InvalidOperationException">The layer is plain multi-head attention (every head is its own group:
    /// use <see cref="PermuteHeads"/>).</exception>
    /// <exception cref="ArgumentException"><paramref name="order"/> is not a permutation of <c>[0, KvGroupsMax)</c>; the
    /// message names this layer, and nothing is changed.</exception>
    public void PermuteKvGroups(ReadOnlySpan<long> order)
    {
        if (!IsGroupedQuery)
            throw new InvalidOperationException(
                $"Layer '{GetName()}': plain multi-head attention has no key/value groups; reorder its heads with PermuteHeads.");
        var groups = EntangledPermutation.Check(GetName(), nameof(order), "key/value groups", order, KvGroupsMax);
        PermuteGroupBlocks(groups);
    }

    /// <summary>
    /// Moves whole query groups with their key/value heads: key/value rows in blocks of <c>headSizeMax</c>, query rows
    /// and output columns in blocks of <c>queriesPerGroupMax·headSizeMax</c> (for multi-head attention both are single
    /// heads). The order has been validated.
    /// </summary>
    private void PermuteGroupBlocks(long[] groups)
    {
        var kvRows = EntangledPermutation.ExpandBlocks(groups, HeadSizeMax);
        var queryRows = EntangledPermutation.ExpandBlocks(groups, (long)queriesPerGroupMax * HeadSizeMax);
        PermuteProjections(queryRows, kvRows, kvRows, queryRows);
    }

    /// <summary>
    /// Reorders the dimensions within heads in place, so that a head-size prefix <c>[:hs]</c> keeps chosen dimensions;
    /// the full-size layer computes exactly the same function (the 1/√headSizeMax scale is unchanged). Both orders index
    /// the <c>KvHeadsMax·HeadSizeMax</c> key/value rows (<c>KvHeadsMax = HeadsMax</c> for multi-head attention) and must map
    /// each key/value head's block of <c>HeadSizeMax</c> rows onto itself: position <c>g·hs + j</c> afterwards holds the
    /// dimension that was at <c>order[g·hs + j]</c>, which lies in head <c>g</c> too.
    /// </summary>
    /// <remarks>
    /// <para><paramref name="queryKeyOrder"/> permutes the rows of key head <c>g</c> (weight and bias) and, by the same
    /// within-head permutation, the rows of every query head that attends with it (its group; for multi-head attention
    /// the query head <c>g</c> itself): a score <c>q·k</c> is a sum over dimensions, so permuting both alike keeps
    /// <c>QKᵀ</c>.</para>
    /// <para><paramref name="valueOrder"/> permutes the rows of value head <c>g</c> (weight and bias) and, alike, the
    /// output-weight columns of every query head in its group: each head's attention output has the value head's
    /// dimensions, and the output projection sums over them. The two orders are independent, though a head-size prefix
    /// applies to query, key and value at once.</para>
    /// <para>In place, like <see cref="PermuteHeads"/>; the parameter objects are unchanged.</para>
    /// </remarks>
    /// <param name="queryKeyOrder">The order of the query/key dimensions, as above.</param>
    /// <param name="valueOrder">The order of the value dimensions, as above.</param>
    /// <exception cref="ArgumentException">An order is not such a permutation; the message names this layer, and nothing is
    /// changed (both orders are checked first).</exception>
    public void PermuteHeadDims(ReadOnlySpan<long> queryKeyOrder, ReadOnlySpan<long> valueOrder)
    {
        int kvRows = KvHeadsMax * HeadSizeMax;
        var qk = EntangledPermutation.Check(GetName(), nameof(queryKeyOrder), "query/key dimensions within heads",
            queryKeyOrder, kvRows, HeadSizeMax, "head");
        var v = EntangledPermutation.Check(GetName(), nameof(valueOrder), "value dimensions within heads",
            valueOrder, kvRows, HeadSizeMax, "head");
        var queryRows = QueryRowsFromKvRows(qk);
        var outputColumns = QueryRowsFromKvRows(v);
        PermuteProjections(queryRows, qk, v, outputColumns);
    }

    // Reorders the projections in place: query, key and value rows (weights and biases) and output-weight columns.
    private void PermuteProjections(long[] queryRows, long[] keyRows, long[] valueRows, long[] outputColumns)
    {
        EntangledPermutation.PermuteInPlace(query.weight, 0, queryRows);
        EntangledPermutation.PermuteInPlace(query.bias, 0, queryRows);
        EntangledPermutation.PermuteInPlace(key.weight, 0, keyRows);
        EntangledPermutation.PermuteInPlace(key.bias, 0, keyRows);
        EntangledPermutation.PermuteInPlace(value.weight, 0, valueRows);
        EntangledPermutation.PermuteInPlace(value.bias, 0, valueRows);
        EntangledPermutation.PermuteInPlace(output.weight, 1, outputColumns);
    }

    /// <summary>Applies a within-head order of the key/value rows to every query head of each group.</summary>
    private long[] QueryRowsFromKvRows(long[] kvOrder)
    {
        long hs = HeadSizeMax;
        var rows = new long[(long)HeadsMax * hs];
        for (long head = 0; head < HeadsMax; head++)
        {
            long group = head / queriesPerGroupMax;
            for (long j = 0; j < hs; j++)
                rows[head * hs + j] = head * hs + (kvOrder[group * hs + j] - group * hs);
        }
        return rows;
    }

    /// <inheritdoc />
    public nn.Module Extract() => ExtractAttention();

    /// <summary>
    /// A dense <see cref="SelfAttention"/> of the active sizes whose weights are copies of exactly the slices the forward
    /// uses (strided head-size and grouped-query selections included), on the same device and dtype.
    /// </summary>
    public SelfAttention ExtractAttention()
    {
        var weight = query.weight!;
        var dense = new SelfAttention(GetName(), activeDim, activeHeads, activeHeadSize, activeBias, activeKvGroups,
            weight.device, weight.dtype);
        using var scope = NewDisposeScope();
        var w = SelectActiveWeights();
        CopyInto(dense.Query, w.Query, w.QueryBias);
        CopyInto(dense.Key, w.Key, w.KeyBias);
        CopyInto(dense.Value, w.Value, w.ValueBias);
        CopyInto(dense.Output, w.Output, w.OutputBias);
        return dense;
    }

    /// <summary>
    /// Gives a projection of the dense layer dense copies of an active weight and bias (the bias only when the
    /// sub-network uses one), trainable like the parameters they replace; the setters dispose those.
    /// </summary>
    private static void CopyInto(Linear projection, Tensor weight, Tensor? bias)
    {
        projection.weight = EntangledSlicing.CopyToParameter(weight, requiresGrad: true);
        if (bias is not null)
            projection.bias = EntangledSlicing.CopyToParameter(bias, requiresGrad: true);
    }

    /// <summary>
    /// <c>query.weight</c>, <c>key.weight</c>, <c>value.weight</c>, <c>output.weight</c> and, when the biases are active,
    /// <c>query.bias</c>, <c>key.bias</c>, <c>value.bias</c>, <c>output.bias</c>: exactly the tensors the active forward
    /// computes with, in the layout of a layer whose max sizes are the active sizes (with
    /// <c>kvGroupsMax = ActiveKvGroups</c>). Prefix selections are views of the max weights; a head size below its max
    /// or fewer query heads per group than the max gives gathered copies (see the class remarks and
    /// <see cref="IEntangledModule.ActiveSlices"/>).
    /// </summary>
    public IEnumerable<(string Name, Tensor Slice)> ActiveSlices()
    {
        using var scope = NewDisposeScope(); // intermediate views of the gathers end here
        var w = SelectActiveWeights();
        var slices = new List<(string Name, Tensor Slice)>
        {
            ("query.weight", w.Query), ("key.weight", w.Key), ("value.weight", w.Value), ("output.weight", w.Output),
        };
        if (activeBias)
        {
            slices.Add(("query.bias", w.QueryBias!));
            slices.Add(("key.bias", w.KeyBias!));
            slices.Add(("value.bias", w.ValueBias!));
            slices.Add(("output.bias", w.OutputBias!));
        }
        foreach (var (_, slice) in slices)
            slice.MoveToOuterDisposeScope();
        return slices;
    }

    /// <summary>
    /// The tensors the active forward computes with: views of the max weights, or gathered copies (see remarks). They
    /// and their intermediates join the caller's dispose scope, which the caller must have open.
    /// </summary>
    internal ActiveWeights SelectActiveWeights()
    {
        int d = activeDim, h = activeHeads, hs = activeHeadSize, kvHeads = ActiveKvHeads;
        int queryGroups = KvGroupsMax == 0 ? h : activeKvGroups;
        int queriesPerGroup = h / queryGroups;
        long inner = (long)h * hs;
        bool fullHeads = hs == HeadSizeMax;
        bool queryPrefix = fullHeads && queriesPerGroup == queriesPerGroupMax;

        Tensor wq, wo;
        Tensor? bq = null;
        if (queryPrefix)
        {
            // Active query heads are heads 0 … h-1 at full size: rows [:h·hsMax], i.e. [:h·hs].
            wq = query.weight!.narrow(0, 0, inner).narrow(1, 0, d);
            wo = output.weight!.narrow(0, 0, d).narrow(1, 0, inner);
            if (activeBias) bq = query.bias!.narrow(0, 0, inner);
        }
        else
        {
            // Rows (group, head in group, dim in head, input): gather with reshape (copies).
            wq = query.weight!.view(queryGroupsMax, queriesPerGroupMax, HeadSizeMax, DimMax)
                .narrow(0, 0, queryGroups).narrow(1, 0, queriesPerGroup).narrow(2, 0, hs).narrow(3, 0, d)
                .reshape(inner, d);
            wo = output.weight!.view(DimMax, queryGroupsMax, queriesPerGroupMax, HeadSizeMax)
                .narrow(0, 0, d).narrow(1, 0, queryGroups).narrow(2, 0, queriesPerGroup).narrow(3, 0, hs)
                .reshape(d, inner);
            if (activeBias)
                bq = query.bias!.view(queryGroupsMax, queriesPerGroupMax, HeadSizeMax)
                    .narrow(0, 0, queryGroups).narrow(1, 0, queriesPerGroup).narrow(2, 0, hs).reshape(inner);
        }

        var wk = KvRows(key.weight!, kvHeads, hs, d, fullHeads);
        var wv = KvRows(value.weight!, kvHeads, hs, d, fullHeads);
        Tensor? bk = activeBias ? KvBias(key.bias!, kvHeads, hs, fullHeads) : null;
        Tensor? bv = activeBias ? KvBias(value.bias!, kvHeads, hs, fullHeads) : null;
        Tensor? bo = activeBias ? output.bias!.narrow(0, 0, d) : null;
        return new ActiveWeights(wq, bq, wk, bk, wv, bv, wo, bo);
    }

    private Tensor KvRows(Tensor weight, int kvHeads, int hs, int d, bool fullHeads) =>
        fullHeads
            ? weight.narrow(0, 0, (long)kvHeads * hs).narrow(1, 0, d)
            : weight.view(KvHeadsMax, HeadSizeMax, DimMax).narrow(0, 0, kvHeads).narrow(1, 0, hs).narrow(2, 0, d)
                .reshape((long)kvHeads * hs, d);

    private Tensor KvBias(Tensor bias, int kvHeads, int hs, bool fullHeads) =>
        fullHeads
            ? bias.narrow(0, 0, (long)kvHeads * hs)
            : bias.view(KvHeadsMax, HeadSizeMax).narrow(0, 0, kvHeads).narrow(1, 0, hs).reshape((long)kvHeads * hs);

    /// <summary>The eight tensors of the active forward (biases null when unused).</summary>
    internal readonly record struct ActiveWeights(
        Tensor Query, Tensor? QueryBias, Tensor Key, Tensor? KeyBias, Tensor Value, Tensor? ValueBias,
        Tensor Output, Tensor? OutputBias);
}
