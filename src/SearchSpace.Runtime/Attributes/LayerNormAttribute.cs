namespace SearchSpaceDsl;

/// <summary>
/// A layer of a <see cref="SupernetAttribute"/> model: a LayerNorm of width <c>Dim</c>
/// (<c>SearchSpaceDsl.Supernets.EntangledLayerNorm</c>, epsilon 1e-5); a sub-network of width <c>d</c> normalises its
/// first <c>d</c> features with <c>γ[:d]</c>, <c>β[:d]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class LayerNormAttribute : Attribute
{
    /// <summary>The normalised width: an int constant or the name of an int choice. Required.</summary>
    public object? Dim { get; set; }
}
