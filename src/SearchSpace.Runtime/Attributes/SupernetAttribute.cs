namespace SearchSpaceDsl;

/// <summary>
/// Makes a partial model class a weight-entangled supernet over the architectures of a <see cref="SearchSpaceAttribute"/>
/// type. The class derives from <c>torch.nn.Module&lt;Tensor, Tensor&gt;</c> and declares its layers as partial get-only
/// properties, each with one layer attribute (<see cref="EmbeddingAttribute"/>, <see cref="LinearAttribute"/>,
/// <see cref="LayerNormAttribute"/>, <see cref="RmsNormAttribute"/>, <see cref="MlpAttribute"/>,
/// <see cref="SelfAttentionAttribute"/>) whose sizes are constants or names of the architecture's choices;
/// <see cref="PerLayerAttribute"/> on a layer makes it a <c>ModuleList</c> with one layer per possible layer. The user
/// writes <c>forward</c>; the generator writes everything else of <c>ISupernet&lt;TArch&gt;</c>.
/// </summary>
/// <remarks>
/// Generated: a constructor <c>(TArch? capacity = null)</c> building every layer at the capacity's sizes (by default
/// <c>TArch.Space.Largest</c>) under stable state-dict names (the member name in snake_case; list items <c>0</c>,
/// <c>1</c>, …) and then calling <c>OnCreated()</c> when the class declares it; <c>Capacity</c>, <c>Active</c>;
/// <c>Activate</c> (validation, then integers stored in every layer: no allocation); <c>Extract</c> (a dense instance
/// built at exactly one architecture, with the active slices copied); <c>ActiveSlices</c>; and the static cost models
/// <c>CountParameters(TArch)</c> and <c>CountFlopsPerToken(TArch, int context)</c>.
/// </remarks>
/// <example>
/// <code>
/// [Supernet(typeof(TinyGptArchitecture))]
/// public sealed partial class TinyGptModel : torch.nn.Module&lt;Tensor, Tensor&gt;
/// {
///     [Embedding(Vocab = 89, Dim = nameof(TinyGptArchitecture.EmbedDim), TiedHead = true)]
///     private partial EntangledEmbedding Tokens { get; }
///
///     [PerLayer(nameof(TinyGptArchitecture.Layers)), Mlp(Dim = nameof(TinyGptArchitecture.EmbedDim), HiddenRatio = nameof(TinyGptArchitecture.MlpRatio))]
///     private partial ModuleList&lt;EntangledMlp&gt; Mlp { get; }
///
///     public override Tensor forward(Tensor tokens) { … }
/// }
/// </code>
/// </example>
/// <param name="architecture">The generated architecture type (<c>typeof</c> a <see cref="SearchSpaceAttribute"/> class).</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class SupernetAttribute(Type architecture) : Attribute
{
    /// <summary>The architecture type whose choices size the layers.</summary>
    public Type Architecture { get; } = architecture;
}
