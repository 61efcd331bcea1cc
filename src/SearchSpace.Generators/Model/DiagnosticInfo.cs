using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace SearchSpaceDsl.Generators.Model;

/// <summary>A location without a syntax tree, so that diagnostics can travel through the cached pipeline.</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

    public static LocationInfo? From(Location? location) =>
        location?.SourceTree is null ? null : new(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);

    public static LocationInfo? From(SyntaxNode? node) => From(node?.GetLocation());
}

/// <summary>A diagnostic to report, in equatable form.</summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(Descriptor, Location?.ToLocation(), [.. Arguments]);
}

/// <summary>What the parser found for one annotated type: a model to emit when there were no errors, and the diagnostics.</summary>
internal sealed record SpaceResult(SpaceModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);
