namespace SearchSpaceDsl;

/// <summary>
/// A layer of a <see cref="SupernetAttribute"/> model: a transformer MLP <c>fc2(GELU(fc1(x)))</c>
/// (<c>SearchSpaceDsl.Supernets.EntangledMlp</c>); a sub-network of width <c>d</c> and hidden width <c>h</c> uses
/// <c>fc1[:h, :d]</c> and <c>fc2[:d, :h]</c>. Give exactly one of <see cref="Hidden"/> and <see cref="HiddenRatio"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class MlpAttribute : Attribute
{
    /// <summary>The input and output width: an int constant or the name of an int choice. Required.</summary>
    public object? Dim { get; set; }

    /// <summary>The hidden width: an int constant or the name of an int choice.</summary>
    public object? Hidden { get; set; }

    /// <summary>The hidden width as a multiple of <see cref="Dim"/> (<c>hidden = ratio · dim</c>): an int constant or the name of an int choice.</summary>
    public object? HiddenRatio { get; set; }

    /// <summary>Whether both layers add a bias: a bool constant or the name of a bool choice; true when not given.</summary>
    public object? Bias { get; set; }
}
