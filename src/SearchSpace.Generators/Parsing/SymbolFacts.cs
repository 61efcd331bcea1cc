using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using SearchSpaceDsl.Generators.Model;

namespace SearchSpaceDsl.Generators.Parsing;

/// <summary>Symbol queries both parsers share: attributes, hint names, containing types, the declaration to process.</summary>
internal static class SymbolFacts
{
    /// <summary>The first attribute of <paramref name="symbol"/> whose class has the metadata name, or null.</summary>
    public static AttributeData? Attribute(ISymbol symbol, string metadataName) =>
        symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == metadataName);

    /// <summary>The string of a constant, or null (also for arrays, whose <c>Value</c> would throw).</summary>
    public static string? StringValue(TypedConstant constant) =>
        constant.Kind == TypedConstantKind.Array ? null : constant.Value as string;

    /// <summary>"a noun" or "an noun".</summary>
    public static string Article(string noun) => ("aeiou".IndexOf(noun[0]) >= 0 ? "an " : "a ") + noun;

    /// <summary>
    /// The hint name of a type's generated source: namespace and type joined with '.', nested types with '+' (as in
    /// metadata names), so that <c>Demo.Outer+Arch</c> (nested) and <c>Demo.Outer.Arch</c> (namespace
    /// <c>Demo.Outer</c>) never share a hint name, which would make AddSource throw; then <paramref name="suffix"/>.
    /// </summary>
    public static string HintName(INamedTypeSymbol type, string suffix)
    {
        var names = new List<string> { type.Name };
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
            names[0] = outer.Name + "+" + names[0];
        if (!type.ContainingNamespace.IsGlobalNamespace)
            names.Insert(0, type.ContainingNamespace.ToDisplayString());
        return string.Join(".", names) + suffix;
    }

    /// <summary>The types <paramref name="type"/> is nested in, outermost first.</summary>
    public static ImmutableArray<ContainingTypeModel> ContainingTypes(INamedTypeSymbol type)
    {
        var types = new List<ContainingTypeModel>();
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            string keyword = outer.TypeKind switch
            {
                TypeKind.Struct => outer.IsRecord ? "record struct" : "struct",
                TypeKind.Interface => "interface",
                _ => outer.IsRecord ? "record" : "class",
            };
            types.Insert(0, new ContainingTypeModel(keyword, outer.Name));
        }
        return types.ToImmutableArray();
    }

    /// <summary>
    /// With the attribute on several partial declarations of one type (an error of its own), whether the node the
    /// pipeline found is the one to process: the first application in file-path and position order.
    /// </summary>
    public static bool IsFirstAnnotatedDeclaration(INamedTypeSymbol type, GeneratorAttributeSyntaxContext context, string attributeName)
    {
        var first = type.GetAttributes()
            .Where(a => a.AttributeClass?.ToDisplayString() == attributeName && a.ApplicationSyntaxReference is not null)
            .Select(a => a.ApplicationSyntaxReference!)
            .OrderBy(r => r.SyntaxTree.FilePath, StringComparer.Ordinal)
            .ThenBy(r => r.Span.Start)
            .FirstOrDefault();
        // context.Attributes holds the matching attributes of the whole syntax tree, not just of this declaration.
        var mine = context.Attributes.Select(a => a.ApplicationSyntaxReference)
            .FirstOrDefault(r => r is not null && r.SyntaxTree == context.TargetNode.SyntaxTree && context.TargetNode.Span.Contains(r.Span));
        return first is null || mine is null || (first.SyntaxTree == mine.SyntaxTree && first.Span == mine.Span);
    }
}
