namespace SearchSpaceDsl;

/// <summary>
/// Declares a searchable dimension: the values a partial property of a <see cref="SearchSpaceAttribute"/> type
/// may take. Numeric choices are listed in strictly ascending order; the index of a value in the list is its gene.
/// </summary>
/// <remarks>
/// The property type is <c>int</c>, <c>double</c>, <c>bool</c> or an enum, or <c>ImmutableArray</c> of one of
/// those together with <see cref="PerLayerAttribute"/>. A bare <c>[Choice]</c> on a bool or enum property means
/// every value of the type.
/// </remarks>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class ChoiceAttribute : Attribute
{
    /// <summary>Every value of a bool (<c>false, true</c>) or enum type (declaration order).</summary>
    public ChoiceAttribute() => Values = [];

    /// <summary>Integer choices, strictly ascending.</summary>
    public ChoiceAttribute(params int[] values) => Values = [.. values.Cast<object>()];

    /// <summary>Floating-point choices, strictly ascending.</summary>
    public ChoiceAttribute(params double[] values) => Values = [.. values.Cast<object>()];

    /// <summary>Boolean choices, in the order given (for example <c>true, false</c>).</summary>
    public ChoiceAttribute(params bool[] values) => Values = [.. values.Cast<object>()];

    /// <summary>Enum choices, in the order given.</summary>
    public ChoiceAttribute(params object[] values) => Values = values;

    /// <summary>The values as written in the attribute.</summary>
    public IReadOnlyList<object> Values { get; }
}
