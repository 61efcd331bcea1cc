namespace SearchSpaceDsl;

/// <summary>
/// A layer of a <see cref="SupernetAttribute"/> model: an RMSNorm of width <c>Dim</c>
/// (<c>SearchSpaceDsl.Supernets.EntangledRmsNorm</c>, epsilon 1e-6); a sub-network of width <c>d</c> normalises its
/// first <c>d</c> features with <c>γ[:d]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class RmsNormAttribute : Attribute
{
    /// <summary>The normalised width: an int constant or the name of an int choice. Required.</summary>
    public object? Dim { get; set; }
}
