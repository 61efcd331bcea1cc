using TorchSharp;
using TorchSharp.Modules;
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
public sealed class EntangledSelfAttention : nn.Module<Tensor, Tensor>, IEntangledModule
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
        SelfAttention.CheckInput(input, activeDim, GetName());
        using var scope = NewDisposeScope();
        var w = SelectActiveWeights();
        return SelfAttention.Attend(input, w.Query, w.QueryBias, w.Key, w.KeyBias, w.Value, w.ValueBias, w.Output,
            w.OutputBias, activeHeads, ActiveKvHeads, activeHeadSize).MoveToOuterDisposeScope();
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
