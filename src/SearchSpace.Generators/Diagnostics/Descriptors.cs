using Microsoft.CodeAnalysis;

namespace SearchSpaceDsl.Generators.Diagnostics;

/// <summary>Every diagnostic the generator reports. IDs are stable; AnalyzerReleases.*.md tracks them.</summary>
internal static class Descriptors
{
    private const string Category = "SearchSpaceDsl";

    public static readonly DiagnosticDescriptor TypeNotPartial = Error("SSD0001",
        "Search space type must be partial",
        "Search space type '{0}' must be declared 'partial' so that the generator can complete it");

    public static readonly DiagnosticDescriptor UnsupportedType = Error("SSD0002",
        "Unsupported search space type",
        "'{0}' cannot be a search space because {1}; use a non-generic, non-abstract partial class or record class");

    public static readonly DiagnosticDescriptor ContainingTypeNotPartial = Error("SSD0003",
        "Containing type must be partial",
        "Search space type '{0}' is nested in '{1}', which must be declared 'partial' too");

    public static readonly DiagnosticDescriptor ChoiceNotPartialProperty = Error("SSD0004",
        "Choice must be a partial property",
        "Choice '{0}' must be an instance partial property without a body, with 'get' and optionally 'init', for example 'public partial int {0} {{ get; }}'");

    public static readonly DiagnosticDescriptor UnsupportedValueType = Error("SSD0005",
        "Unsupported choice type",
        "Choice '{0}' has type '{1}'; use int, double, bool or an enum, or ImmutableArray<T> of one of them with [PerLayer]");

    public static readonly DiagnosticDescriptor EmptyChoices = Error("SSD0006",
        "Choice lists no values",
        "Choice '{0}' lists no values; give at least one (a bare [Choice] means every value only for bool and enum properties)");

    public static readonly DiagnosticDescriptor DuplicateChoice = Error("SSD0007",
        "Duplicate choice value",
        "Choice '{0}' lists {1} more than once; remove the duplicate");

    public static readonly DiagnosticDescriptor UnsortedChoices = Error("SSD0008",
        "Numeric choices must be ascending",
        "Choices of '{0}' must be listed in strictly ascending order, but {1} follows {2}");

    public static readonly DiagnosticDescriptor ChoiceValueMismatch = Error("SSD0009",
        "Choice value does not fit the property type",
        "Choice '{0}' has type '{1}' and cannot take the value {2}; list values of type '{1}'");

    public static readonly DiagnosticDescriptor DepthNotFound = Error("SSD0010",
        "Per-layer choice names no depth",
        "Per-layer choice '{0}' follows '{1}', which is not a choice of '{2}'; name its int depth choice, for example [PerLayer(nameof(Layers))]");

    public static readonly DiagnosticDescriptor DepthNotIntChoice = Error("SSD0011",
        "Depth must be a scalar int choice",
        "Per-layer choice '{0}' follows '{1}', which {2}; the depth must be a scalar int choice");

    public static readonly DiagnosticDescriptor PerLayerNeedsArray = Error("SSD0012",
        "Per-layer choice must be an ImmutableArray",
        "Per-layer choice '{0}' must be declared as ImmutableArray<{1}>, one value per active layer");

    public static readonly DiagnosticDescriptor ArrayNeedsPerLayer = Error("SSD0013",
        "Array choice needs [PerLayer]",
        "Choice '{0}' is an ImmutableArray, so it needs [PerLayer(nameof(Depth))] naming the int choice that sets its number of layers");

    public static readonly DiagnosticDescriptor NegativeDepth = Error("SSD0014",
        "Depth choices must be non-negative",
        "Choice '{0}' is a depth and lists {1}; layer counts must be zero or more");

    public static readonly DiagnosticDescriptor ConstraintNotFound = Error("SSD0015",
        "Constraint predicate not found",
        "Constraint predicate '{0}' is not a method of '{1}'; declare 'static bool {0}({1} architecture)'");

    public static readonly DiagnosticDescriptor ConstraintSignature = Error("SSD0016",
        "Constraint predicate has the wrong signature",
        "Constraint predicate '{0}' must be declared 'static bool {0}({1} architecture)', non-generic, with no ref or out parameter");

    public static readonly DiagnosticDescriptor NoChoices = Error("SSD0017",
        "Search space has no choices",
        "Search space '{0}' declares no [Choice] property; add at least one");

    public static readonly DiagnosticDescriptor PerLayerWithoutChoice = Error("SSD0018",
        "[PerLayer] without [Choice]",
        "'{0}' has [PerLayer] but no [Choice]; add [Choice(...)] listing its values");

    public static readonly DiagnosticDescriptor ReservedName = Error("SSD0019",
        "Choice name is reserved",
        "Choice '{0}' has the name of a member the generator adds to '{1}'; rename it");

    public static readonly DiagnosticDescriptor NonFiniteChoice = Error("SSD0020",
        "Choice value must be finite",
        "Choice '{0}' lists {1}; choices must be finite numbers");

    public static readonly DiagnosticDescriptor ConstraintMessageMissing = Error("SSD0021",
        "Constraint needs a message",
        "Constraint '{0}' needs a message that says what a violation means");

    public static readonly DiagnosticDescriptor SupernetNotPartial = Error("SSD0022",
        "Supernet type must be partial",
        "Supernet type '{0}' must be declared 'partial' so that the generator can complete it");

    public static readonly DiagnosticDescriptor UnsupportedSupernetType = Error("SSD0023",
        "Unsupported supernet type",
        "'{0}' cannot be a supernet because {1}; use a non-generic, non-abstract partial class deriving from torch.nn.Module<Tensor, Tensor>");

    public static readonly DiagnosticDescriptor ArchitectureNotSearchSpace = Error("SSD0024",
        "Supernet architecture is not a search space",
        "Supernet '{0}' names '{1}' as its architecture, which is not a [SearchSpace] type; pass typeof of the architecture class");

    public static readonly DiagnosticDescriptor LayerNotPartialProperty = Error("SSD0025",
        "Layer must be a partial get-only property",
        "Layer '{0}' must be an instance partial property without a body and with only 'get', for example 'private partial EntangledMlp {0} {{ get; }}'");

    public static readonly DiagnosticDescriptor LayerTypeMismatch = Error("SSD0026",
        "Layer property has the wrong type",
        "Layer '{0}' has type '{1}', but [{2}] needs '{3}'");

    public static readonly DiagnosticDescriptor SizeNamesNoChoice = Error("SSD0027",
        "Layer size names no choice",
        "Layer '{0}': {1} names '{2}', which is not a choice of '{3}'; write an int constant or nameof one of its [Choice] properties");

    public static readonly DiagnosticDescriptor SizeChoiceWrongType = Error("SSD0028",
        "Layer size names a choice of the wrong type",
        "Layer '{0}': {1} names '{2}', {3}; {1} needs {4}");

    public static readonly DiagnosticDescriptor PerLayerChoiceInSingleLayer = Error("SSD0029",
        "Per-layer choice sizes a single layer",
        "Layer '{0}': {1} names the per-layer choice '{2}', but '{0}' is one layer; add [PerLayer(nameof({3}))] to make it one layer per layer, or name a scalar choice");

    public static readonly DiagnosticDescriptor PerLayerDepthMismatch = Error("SSD0030",
        "Per-layer depths differ",
        "Layer '{0}' has one layer per '{1}', but {2} names '{3}', which is per layer of '{4}'; use the same depth");

    public static readonly DiagnosticDescriptor SizeMissing = Error("SSD0031",
        "Layer size missing",
        "Layer '{0}': [{1}] needs {2}");

    public static readonly DiagnosticDescriptor SizeNotPositive = Error("SSD0032",
        "Layer size must be positive",
        "Layer '{0}': {1} = {2}; sizes must be at least 1");

    public static readonly DiagnosticDescriptor SizeInvalid = Error("SSD0033",
        "Layer size has the wrong kind of value",
        "Layer '{0}': {1} must be {2}, not {3}");

    public static readonly DiagnosticDescriptor LayerAttributeCount = Error("SSD0034",
        "Layer needs exactly one layer attribute",
        "Layer '{0}' {1}; give it exactly one of [Embedding], [Linear], [LayerNorm], [RmsNorm], [Mlp] and [SelfAttention]");

    public static readonly DiagnosticDescriptor SizeChoiceNotPositive = Error("SSD0035",
        "Choice used as a size lists a value below 1",
        "Layer '{0}': {1} names '{2}', which lists {3}; choices used as sizes must be at least 1");

    public static readonly DiagnosticDescriptor LayerNameClash = Error("SSD0036",
        "Layer name clashes",
        "Layer '{0}' {1}; rename it");

    public static readonly DiagnosticDescriptor IncompatibleSizes = Error("SSD0037",
        "Layer sizes are incompatible",
        "Layer '{0}': {1}");

    public static readonly DiagnosticDescriptor InternalError = Error("SSD9999",
        "The generator failed",
        "The SearchSpaceDsl generator failed on '{0}': {1}. Please report this with the declaration that caused it.");

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
