namespace SearchSpaceDsl.Generators.Model;

/// <summary>
/// The entangled layer types a supernet member can be, one per layer attribute. The order of a layer's
/// <see cref="LayerModel.Sizes"/> is the order of its constructor's and <c>SetActive</c>'s size parameters:
/// <list type="bullet">
/// <item><see cref="Embedding"/>: dim (vocab is <see cref="LayerModel.Vocab"/>);</item>
/// <item><see cref="Linear"/>: in, out, bias;</item>
/// <item><see cref="LayerNorm"/>, <see cref="RmsNorm"/>: dim;</item>
/// <item><see cref="Mlp"/>: dim, hidden, bias;</item>
/// <item><see cref="SelfAttention"/>: dim, heads, headSize, bias, kvGroups (0: multi-head attention).</item>
/// </list>
/// </summary>
internal enum LayerKind { Embedding, Linear, LayerNorm, RmsNorm, Mlp, SelfAttention }
