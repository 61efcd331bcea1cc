namespace SearchSpaceDsl;

/// <summary>The value type of a dimension's choices.</summary>
public enum ChoiceKind
{
    /// <summary><c>int</c> values, ascending.</summary>
    Int,
    /// <summary><c>double</c> values, ascending.</summary>
    Double,
    /// <summary><c>bool</c> values.</summary>
    Bool,
    /// <summary>Members of an enum type.</summary>
    Enum,
}
