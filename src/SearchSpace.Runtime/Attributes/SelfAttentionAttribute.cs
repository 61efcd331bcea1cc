namespace SearchSpaceDsl;

/// <summary>
/// A layer of a <see cref="SupernetAttribute"/> model: causal multi-head (or grouped-query) self-attention
/// (<c>SearchSpaceDsl.Supernets.EntangledSelfAttention</c>); a sub-network uses the first <c>Heads</c> heads and the
/// first <c>HeadSize</c> dimensions of each, and with <see cref="KvGroups"/> the first groups and the first
/// <c>Heads / KvGroups</c> query heads of each.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class SelfAttentionAttribute : Attribute
{
    /// <summary>The model width: an int constant or the name of an int choice. Required.</summary>
    public object? Dim { get; set; }

    /// <summary>The number of query heads: an int constant or the name of an int choice. Required.</summary>
    public object? Heads { get; set; }

    /// <summary>The size of each head: an int constant or the name of an int choice. Required.</summary>
    public object? HeadSize { get; set; }

    /// <summary>
    /// The number of key/value groups of grouped-query attention: an int constant or the name of an int choice; plain
    /// multi-head attention when not given. <c>Heads</c> must be a multiple of it in every architecture.
    /// </summary>
    public object? KvGroups { get; set; }

    /// <summary>Whether the four projections add a bias: a bool constant or the name of a bool choice; true when not given.</summary>
    public object? Bias { get; set; }
}
