using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Supernets;

/// <summary>
/// Dense causal multi-head self-attention of fixed sizes, optionally grouped-query: what
/// <see cref="EntangledSelfAttention.Extract"/> returns. Parameters <c>query</c>, <c>key</c>, <c>value</c> and
/// <c>output</c> are exact-size linear layers (state-dict names <c>query.weight</c>, <c>query.bias</c>, …); input and
/// output are <c>[batch, seq, dim]</c>. Query head <c>j</c> attends with key/value head <c>j / (heads / kvHeads)</c>, and
/// scores are scaled by 1/√headSize.
/// </summary>
public sealed class SelfAttention : nn.Module<Tensor, Tensor>
{
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
    private readonly Linear output;

    /// <summary>Creates the layer with freshly initialized weights.</summary>
    /// <param name="name">The module name.</param>
    /// <param name="dim">Model width: the input and output feature count.</param>
    /// <param name="heads">Number of query heads.</param>
    /// <param name="headSize">Features per head.</param>
    /// <param name="hasBias">Whether the four projections have a bias.</param>
    /// <param name="kvGroups">Number of key/value heads for grouped-query attention; 0 for plain multi-head attention
    /// (as many key/value heads as query heads). <paramref name="heads"/> must be a multiple of it.</param>
    /// <param name="device">Device of the parameters; the default device when null.</param>
    /// <param name="dtype">Element type of the parameters; the default type when null.</param>
    public SelfAttention(string name, int dim, int heads, int headSize, bool hasBias, int kvGroups = 0,
        Device? device = null, ScalarType? dtype = null)
        : base(name)
    {
        if (dim < 1) throw new ArgumentOutOfRangeException(nameof(dim), dim, $"Layer '{name}': dim must be at least 1.");
        if (heads < 1) throw new ArgumentOutOfRangeException(nameof(heads), heads, $"Layer '{name}': heads must be at least 1.");
        if (headSize < 1)
            throw new ArgumentOutOfRangeException(nameof(headSize), headSize, $"Layer '{name}': headSize must be at least 1.");
        CheckKvGroups(name, nameof(kvGroups), kvGroups, nameof(heads), heads);

        Dim = dim;
        Heads = heads;
        HeadSize = headSize;
        KvGroups = kvGroups;
        HasBias = hasBias;
        query = nn.Linear(dim, (long)heads * headSize, hasBias, device, dtype);
        key = nn.Linear(dim, (long)KvHeads * headSize, hasBias, device, dtype);
        value = nn.Linear(dim, (long)KvHeads * headSize, hasBias, device, dtype);
        output = nn.Linear((long)heads * headSize, dim, hasBias, device, dtype);
        RegisterComponents();
    }

    /// <summary>Model width: the input and output feature count.</summary>
    public int Dim { get; }

    /// <summary>Number of query heads.</summary>
    public int Heads { get; }

    /// <summary>Features per head.</summary>
    public int HeadSize { get; }

    /// <summary>Key/value groups of grouped-query attention; 0 for plain multi-head attention.</summary>
    public int KvGroups { get; }

    /// <summary>Number of key/value heads: <see cref="Heads"/> for multi-head attention, else <see cref="KvGroups"/>.</summary>
    public int KvHeads => KvGroups == 0 ? Heads : KvGroups;

    /// <summary>Whether the projections have a bias.</summary>
    public bool HasBias { get; }

    /// <summary>The query projection, <c>[heads·headSize, dim]</c>.</summary>
    public Linear Query => query;

    /// <summary>The key projection, <c>[kvHeads·headSize, dim]</c>.</summary>
    public Linear Key => key;

    /// <summary>The value projection, <c>[kvHeads·headSize, dim]</c>.</summary>
    public Linear Value => value;

    /// <summary>The output projection, <c>[dim, heads·headSize]</c>.</summary>
    public Linear Output => output;

    /// <summary>Causal self-attention of <paramref name="input"/>, <c>[batch, seq, dim]</c> → <c>[batch, seq, dim]</c>.</summary>
    public override Tensor forward(Tensor input)
    {
        CheckInput(input, Dim, GetName());
        return Attend(input, query.weight!, query.bias, key.weight!, key.bias, value.weight!, value.bias,
            output.weight!, output.bias, Heads, KvHeads, HeadSize);
    }

    /// <summary>Throws unless <paramref name="input"/> is <c>[batch, seq, dim]</c>.</summary>
    internal static void CheckInput(Tensor input, int dim, string layer)
    {
        if (input.Dimensions != 3 || input.shape[2] != dim)
            throw new ArgumentException(
                $"Layer '{layer}': expected input [batch, seq, {dim}], got [{string.Join(", ", input.shape)}].",
                nameof(input));
    }

    /// <summary>
    /// Throws unless <paramref name="kvGroups"/> is 0 (multi-head attention) or a divisor of <paramref name="heads"/>; the
    /// message names the layer and both parameters (<c>kvGroups</c>/<c>heads</c> here, <c>kvGroupsMax</c>/<c>headsMax</c>
    /// in the supernet).
    /// </summary>
    internal static void CheckKvGroups(string layer, string kvGroupsName, int kvGroups, string headsName, int heads)
    {
        if (kvGroups < 0 || (kvGroups > 0 && heads % kvGroups != 0))
            throw new ArgumentOutOfRangeException(kvGroupsName, kvGroups,
                $"Layer '{layer}': {kvGroupsName} must be 0 (multi-head attention) or a divisor of {headsName} = {heads}.");
    }

    /// <summary>
    /// The attention computation shared by the dense layer and the supernet: project, split into heads, causal scaled
    /// dot-product attention (scale 1/√headSize), merge heads, project out. Weights may be strided views.
    /// Intermediates are disposed; only the result survives into the caller's dispose scope.
    /// </summary>
    internal static Tensor Attend(Tensor x, Tensor wq, Tensor? bq, Tensor wk, Tensor? bk, Tensor wv, Tensor? bv,
        Tensor wo, Tensor? bo, int heads, int kvHeads, int headSize)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], seq = x.shape[1];
        // [batch, seq, h·hs] → [batch, h, seq, hs]: views (SDPA accepts the transposed strides).
        var q = nn.functional.linear(x, wq, bq).view(batch, seq, heads, headSize).transpose(1, 2);
        var k = nn.functional.linear(x, wk, bk).view(batch, seq, kvHeads, headSize).transpose(1, 2);
        var v = nn.functional.linear(x, wv, bv).view(batch, seq, kvHeads, headSize).transpose(1, 2);
        if (kvHeads != heads)
        {
            // Grouped-query: kv head g serves query heads g·r … g·r+r-1 (copies the k/v activations).
            var repeats = heads / kvHeads;
            k = k.repeat_interleave(repeats, dim: 1);
            v = v.repeat_interleave(repeats, dim: 1);
        }

        // SDPA scales by 1/√(last dim of q) = 1/√headSize. (TorchSharp 0.107 spells the flag "is_casual".)
        var attended = nn.functional.scaled_dot_product_attention(q, k, v, is_casual: true);
        var merged = attended.transpose(1, 2).reshape(batch, seq, (long)heads * headSize);
        return nn.functional.linear(merged, wo, bo).MoveToOuterDisposeScope();
    }
}
