namespace SearchSpaceDsl.Generators.Model;

/// <summary>One choice property.</summary>
/// <param name="Name">The property name.</param>
/// <param name="ElementType">The fully qualified value type (<c>int</c>, <c>double</c>, <c>bool</c> or an enum).</param>
/// <param name="Values">The choices as C# expressions, in gene order.</param>
/// <param name="PerLayerOf">The depth choice of a per-layer choice, or null.</param>
/// <param name="Modifiers">The property's modifiers as declared, without <c>partial</c>.</param>
/// <param name="Accessors">The accessors as declared (with their modifiers), such as <c>get</c> or <c>get, private init</c>.</param>
internal sealed record DimensionModel(
    string Name,
    string ElementType,
    EquatableArray<string> Values,
    string? PerLayerOf,
    string Modifiers,
    EquatableArray<string> Accessors)
{
    public bool IsPerLayer => PerLayerOf is not null;

    /// <summary>The type of the property and of its constructor parameter.</summary>
    public string PropertyType => IsPerLayer ? $"global::System.Collections.Immutable.ImmutableArray<{ElementType}>" : ElementType;
}
