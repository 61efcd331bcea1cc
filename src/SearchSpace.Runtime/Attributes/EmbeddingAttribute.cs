namespace SearchSpaceDsl;

/// <summary>
/// A layer of a <see cref="SupernetAttribute"/> model: a token embedding <c>E[Vocab, Dim]</c>
/// (<c>SearchSpaceDsl.Supernets.EntangledEmbedding</c>); a sub-network of width <c>d</c> uses <c>E[:, :d]</c>.
/// </summary>
/// <remarks>
/// A size is an int constant or the name of an int choice of the architecture (write it with <c>nameof</c>); with
/// <see cref="PerLayerAttribute"/> a per-layer choice means its value for the layer's index.
/// </remarks>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class EmbeddingAttribute : Attribute
{
    /// <summary>The number of embeddings (tokens or positions): a positive int constant. Required.</summary>
    public int Vocab { get; set; }

    /// <summary>The embedding width: an int constant or the name of an int choice. Required.</summary>
    public object? Dim { get; set; }

    /// <summary>
    /// Whether the forward also uses the embedding as the output head (<c>logits = x · E[:, :d]ᵀ</c>, through
    /// <c>ActiveWeight</c>): the cost model then adds <c>2·Vocab·Dim</c> FLOPs per token and no parameters.
    /// </summary>
    public bool TiedHead { get; set; }
}
