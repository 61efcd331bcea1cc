namespace SearchSpaceDsl;

/// <summary>
/// Makes a choice, or a layer of a supernet, per layer.
/// <list type="bullet">
/// <item>On a <see cref="ChoiceAttribute"/> property of a <see cref="SearchSpaceAttribute"/> type: the property (an
/// <c>ImmutableArray</c>) holds one value for each of the first <c>depth</c> layers, where <c>depth</c> is the int choice
/// named here. Only those layers count: two architectures that differ beyond their depth do not exist, and the space
/// counts and samples accordingly.</item>
/// <item>On a layer property of a <see cref="SupernetAttribute"/> model: the property is a <c>ModuleList</c> of the
/// layer type with one layer per possible layer (the capacity's depth), of which an architecture uses the first
/// <c>depth</c>; a per-layer choice in its sizes means the choice's value for the layer's index.</item>
/// </list>
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class PerLayerAttribute(string depth) : Attribute
{
    /// <summary>The name of the int choice that sets how many layers are active (use <c>nameof</c>).</summary>
    public string Depth { get; } = depth;
}
