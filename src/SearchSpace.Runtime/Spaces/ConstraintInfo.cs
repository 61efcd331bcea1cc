namespace SearchSpaceDsl;

/// <summary>A constraint of a search space, described without its predicate.</summary>
/// <param name="Name">The name of the static predicate method.</param>
/// <param name="Message">What a violation means.</param>
public sealed record ConstraintInfo(string Name, string Message);

/// <summary>A constraint with its typed predicate.</summary>
/// <typeparam name="TArch">The architecture type.</typeparam>
/// <param name="Name">The name of the static predicate method.</param>
/// <param name="Message">What a violation means.</param>
/// <param name="Predicate">True when an architecture satisfies the constraint.</param>
public sealed record ArchitectureConstraint<TArch>(string Name, string Message, Func<TArch, bool> Predicate)
{
    /// <summary>The validation error of a violation.</summary>
    public string Describe() => $"constraint {Name}: {Message}";
}
