namespace SearchSpaceDsl;

/// <summary>
/// Makes a choice per layer: the property (an <c>ImmutableArray</c>) holds one value for each of the first
/// <c>depth</c> layers, where <c>depth</c> is the int choice named here. Only those layers count: two
/// architectures that differ beyond their depth do not exist, and the space counts and samples accordingly.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class PerLayerAttribute(string depth) : Attribute
{
    /// <summary>The name of the int choice that sets how many layers are active (use <c>nameof</c>).</summary>
    public string Depth { get; } = depth;
}
