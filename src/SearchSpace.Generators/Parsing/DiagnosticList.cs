using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using SearchSpaceDsl.Generators.Model;

namespace SearchSpaceDsl.Generators.Parsing;

/// <summary>Collects the diagnostics of one annotated type in equatable form.</summary>
internal sealed class DiagnosticList
{
    private readonly List<DiagnosticInfo> _items = [];

    public bool HasErrors => _items.Count > 0;

    public void Add(DiagnosticDescriptor descriptor, SyntaxNode? at, params string[] arguments) =>
        _items.Add(new DiagnosticInfo(descriptor, LocationInfo.From(at), ImmutableArray.Create(arguments)));

    public void Add(DiagnosticDescriptor descriptor, Location? at, params string[] arguments) =>
        _items.Add(new DiagnosticInfo(descriptor, LocationInfo.From(at), ImmutableArray.Create(arguments)));

    public ImmutableArray<DiagnosticInfo> ToImmutable() => _items.ToImmutableArray();

    public override string ToString() => string.Join("; ", _items.Select(d => d.Descriptor.Id));
}
