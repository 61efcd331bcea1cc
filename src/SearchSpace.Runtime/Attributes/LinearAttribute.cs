namespace SearchSpaceDsl;

/// <summary>
/// A layer of a <see cref="SupernetAttribute"/> model: a linear map <c>W[Out, In]</c>, <c>b[Out]</c>
/// (<c>SearchSpaceDsl.Supernets.EntangledLinear</c>); a sub-network uses <c>W[:out, :in]</c> and <c>b[:out]</c>.
/// </summary>
/// <remarks>
/// A size is an int constant or the name of an int choice of the architecture (write it with <c>nameof</c>); with
/// <see cref="PerLayerAttribute"/> a per-layer choice means its value for the layer's index.
/// </remarks>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class LinearAttribute : Attribute
{
    /// <summary>The input features: an int constant or the name of an int choice. Required.</summary>
    public object? In { get; set; }

    /// <summary>The output features: an int constant or the name of an int choice. Required.</summary>
    public object? Out { get; set; }

    /// <summary>Whether the layer adds a bias: a bool constant or the name of a bool choice; true when not given.</summary>
    public object? Bias { get; set; }
}
