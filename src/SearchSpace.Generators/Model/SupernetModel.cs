namespace SearchSpaceDsl.Generators.Model;

/// <summary>Everything the emitter needs to write one supernet model class; equatable, holds no symbols or syntax.</summary>
/// <param name="Namespace">The namespace, or null for the global namespace.</param>
/// <param name="TypeName">The class name.</param>
/// <param name="FullyQualifiedName">The class with <c>global::</c> and containing types.</param>
/// <param name="HintName">The generated file's hint name.</param>
/// <param name="ContainingTypes">The types the class is nested in, outermost first.</param>
/// <param name="Architecture">The fully qualified architecture type.</param>
/// <param name="Layers">The layer members in declaration order.</param>
/// <param name="CallsOnCreated">Whether the class declares a parameterless <c>void OnCreated()</c> for the constructor to call.</param>
internal sealed record SupernetModel(
    string? Namespace,
    string TypeName,
    string FullyQualifiedName,
    string HintName,
    EquatableArray<ContainingTypeModel> ContainingTypes,
    string Architecture,
    EquatableArray<LayerModel> Layers,
    bool CallsOnCreated);

/// <summary>What the supernet parser found for one annotated class: a model when there were no errors, and the diagnostics.</summary>
internal sealed record SupernetResult(SupernetModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);
