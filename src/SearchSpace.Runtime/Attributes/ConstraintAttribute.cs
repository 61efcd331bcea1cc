namespace SearchSpaceDsl;

/// <summary>
/// Restricts a search space to architectures for which a static predicate holds. The predicate is a method of
/// the annotated type with the signature <c>static bool Name(TArch architecture)</c>. Sampling, enumeration,
/// mutation, crossover, decoding, parsing and validation all honour every constraint.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ConstraintAttribute(string predicate, string message) : Attribute
{
    /// <summary>The name of the static predicate method (use <c>nameof</c>).</summary>
    public string Predicate { get; } = predicate;

    /// <summary>What a violation means, shown in validation errors.</summary>
    public string Message { get; } = message;
}
