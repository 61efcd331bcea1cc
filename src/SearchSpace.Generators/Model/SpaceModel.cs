namespace SearchSpaceDsl.Generators.Model;

/// <summary>Everything the emitter needs to write one architecture type; equatable, holds no symbols or syntax.</summary>
internal sealed record SpaceModel(
    string? Namespace,
    string TypeName,
    string FullyQualifiedName,
    string HintName,
    bool IsRecord,
    bool IsSealed,
    EquatableArray<ContainingTypeModel> ContainingTypes,
    EquatableArray<DimensionModel> Dimensions,
    EquatableArray<ConstraintModel> Constraints);

/// <summary>A type the architecture is nested in: its keyword (<c>class</c>, <c>record struct</c>, …) and name.</summary>
internal sealed record ContainingTypeModel(string Keyword, string Name);

/// <summary>A constraint: the static predicate's name and the message of a violation.</summary>
internal sealed record ConstraintModel(string Predicate, string Message);
