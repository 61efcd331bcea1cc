using System.Linq;

namespace SearchSpaceDsl.Generators.Model;

/// <summary>One layer member of a supernet: a partial property with a layer attribute.</summary>
/// <param name="Name">The property name.</param>
/// <param name="StateName">The stable state-dict name (the property name in snake_case).</param>
/// <param name="Kind">The layer type.</param>
/// <param name="Modifiers">The property's modifiers as declared, without <c>partial</c>.</param>
/// <param name="Depth">For a per-layer member (a <c>ModuleList</c>), the architecture's depth choice; null for one layer.</param>
/// <param name="Sizes">The sizes in the order of <see cref="LayerKind"/>.</param>
/// <param name="Vocab">The number of embeddings of an embedding; 0 otherwise.</param>
/// <param name="TiedHead">Whether an embedding is also the output head (cost models add its FLOPs).</param>
internal sealed record LayerModel(
    string Name,
    string StateName,
    LayerKind Kind,
    string Modifiers,
    string? Depth,
    EquatableArray<SizeModel> Sizes,
    int Vocab,
    bool TiedHead)
{
    public bool IsPerLayer => Depth is not null;

    /// <summary>Grouped-query attention whose number of groups is a choice: activation checks the heads against the groups.</summary>
    public bool HasKvGroupChoice => Kind == LayerKind.SelfAttention && !Sizes[4].IsConstant;
}

/// <summary>A size of a layer (an int, or a bool for a bias): the product of its factors.</summary>
/// <param name="Parameter">The attribute property it comes from (e.g. <c>Dim</c>), for messages.</param>
/// <param name="IsBool">Whether it is a bias switch rather than a size.</param>
/// <param name="Factors">One factor, or two for a hidden width given as ratio · dim.</param>
internal sealed record SizeModel(string Parameter, bool IsBool, EquatableArray<FactorModel> Factors)
{
    public bool IsConstant => Factors.All(f => f.Choice is null);

    public bool UsesPerLayerChoice => Factors.Any(f => f.PerLayer);

    /// <summary>The dimension as messages show it, <c>[i]</c> standing for the layer index: <c>MlpRatio[i]·EmbedDim</c>.</summary>
    public string Label => string.Join("·", Factors.Select(f => f.Choice is null ? f.Literal : f.PerLayer ? f.Choice + "[i]" : f.Choice));
}

/// <summary>A constant (<see cref="Literal"/>) or a choice of the architecture (scalar, or per layer: indexed by the layer).</summary>
internal sealed record FactorModel(string? Choice, bool PerLayer, string Literal)
{
    public static FactorModel Constant(string literal) => new(null, false, literal);
}
