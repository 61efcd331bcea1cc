using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace SearchSpaceDsl.Generators.Parsing;

/// <summary>One [Choice] property of an architecture, as a supernet's sizes see it.</summary>
/// <param name="Name">The property name.</param>
/// <param name="Kind">The value kind, or null for a type the search-space generator rejects.</param>
/// <param name="Depth">For a per-layer choice, the name of its depth choice; null for a scalar choice.</param>
/// <param name="IntValues">The listed values of an int choice (empty otherwise).</param>
internal sealed record ArchitectureChoice(string Name, ValueKind? Kind, string? Depth, ImmutableArray<int> IntValues)
{
    public bool IsPerLayer => Depth is not null;

    /// <summary>How messages describe the choice: "a per-layer double choice", "an int choice".</summary>
    public string Description
    {
        get
        {
            string kind = Kind switch
            {
                ValueKind.Int => "int",
                ValueKind.Double => "double",
                ValueKind.Bool => "bool",
                ValueKind.Enum => "enum",
                _ => "unsupported",
            };
            return IsPerLayer ? $"a per-layer {kind} choice" : SymbolFacts.Article(kind) + " choice";
        }
    }
}

/// <summary>Reads the choices of a [SearchSpace] type (from source or metadata) by name.</summary>
internal static class ArchitectureChoices
{
    public static Dictionary<string, ArchitectureChoice> Read(INamedTypeSymbol architecture)
    {
        var choices = new Dictionary<string, ArchitectureChoice>(System.StringComparer.Ordinal);
        foreach (var property in architecture.GetMembers().OfType<IPropertySymbol>())
        {
            var choice = SymbolFacts.Attribute(property, AttributeNames.Choice);
            if (choice is null || choices.ContainsKey(property.Name))
                continue;
            var perLayer = SymbolFacts.Attribute(property, AttributeNames.PerLayer);
            bool isArray = property.Type is INamedTypeSymbol { IsGenericType: true } named
                && named.ConstructedFrom.ToDisplayString() == "System.Collections.Immutable.ImmutableArray<T>";
            var element = isArray ? ((INamedTypeSymbol)property.Type).TypeArguments[0] : property.Type;
            ValueKind? kind = element.SpecialType switch
            {
                SpecialType.System_Int32 => ValueKind.Int,
                SpecialType.System_Double => ValueKind.Double,
                SpecialType.System_Boolean => ValueKind.Bool,
                _ => element.TypeKind == TypeKind.Enum ? ValueKind.Enum : null,
            };
            string? depth = perLayer is null ? null : SymbolFacts.StringValue(perLayer.ConstructorArguments.FirstOrDefault()) ?? "";
            choices.Add(property.Name, new ArchitectureChoice(property.Name, kind, depth, kind == ValueKind.Int ? IntValues(choice) : ImmutableArray<int>.Empty));
        }
        return choices;
    }

    private static ImmutableArray<int> IntValues(AttributeData choice)
    {
        if (choice.ConstructorArguments.Length != 1 || choice.ConstructorArguments[0] is not { Kind: TypedConstantKind.Array, IsNull: false } values)
            return ImmutableArray<int>.Empty;
        return values.Values.Where(v => v.Kind != TypedConstantKind.Array && v.Value is int).Select(v => (int)v.Value!).ToImmutableArray();
    }
}
