using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SearchSpaceDsl.Generators.Diagnostics;

namespace SearchSpaceDsl.Generators.Parsing;

/// <summary>The kinds of value a choice can hold.</summary>
internal enum ValueKind { Int, Double, Bool, Enum }

/// <summary>Reads the values of one [Choice] attribute as C# expressions, reporting every misuse at its argument.</summary>
internal sealed class ChoiceValues(DiagnosticList diagnostics, IPropertySymbol property, ITypeSymbol element, ValueKind kind)
{
    private readonly string _elementName = element.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

    /// <summary>The literals in gene order and the numeric value of each (null where not numeric); null after an error.</summary>
    public (List<string> Literals, List<double?> Numbers)? Read(AttributeData attribute)
    {
        if (attribute.AttributeConstructor is null)
            return null; // the compiler reports the broken attribute itself
        var arguments = attribute.ConstructorArguments;
        var syntax = attribute.ApplicationSyntaxReference?.GetSyntax() as AttributeSyntax;
        if (arguments.Length == 0)
            return EveryValue(syntax);
        if (arguments[0].Kind != TypedConstantKind.Array || arguments[0].IsNull || arguments[0].Values.Length == 0)
        {
            diagnostics.Add(Descriptors.EmptyChoices, syntax, property.Name);
            return null;
        }

        var items = arguments[0].Values;
        var syntaxArguments = syntax?.ArgumentList?.Arguments;
        bool expanded = syntaxArguments?.Count == items.Length;
        var literals = new List<string>();
        var numbers = new List<double?>();
        var keys = new List<string>();
        var written = new List<string>();
        bool ok = true;
        for (int i = 0; i < items.Length; i++)
        {
            SyntaxNode? at = expanded ? syntaxArguments!.Value[i] : syntaxArguments?.FirstOrDefault() ?? (SyntaxNode?)syntax;
            if (!TryConvert(items[i], at, out string literal, out double? number, out string key))
            {
                ok = false;
                continue;
            }
            if (keys.Contains(key))
            {
                diagnostics.Add(Descriptors.DuplicateChoice, at, property.Name, items[i].ToCSharpString());
                ok = false;
                continue;
            }
            if (number is { } n && numbers.Count > 0 && numbers[numbers.Count - 1] is { } previous && n <= previous)
            {
                diagnostics.Add(Descriptors.UnsortedChoices, at, property.Name, items[i].ToCSharpString(), written[written.Count - 1]);
                ok = false;
            }
            keys.Add(key);
            written.Add(items[i].ToCSharpString());
            literals.Add(literal);
            numbers.Add(number);
        }
        return ok ? (literals, numbers) : null;
    }

    // A bare [Choice]: both bools, or every named member of an enum.
    private (List<string>, List<double?>)? EveryValue(AttributeSyntax? syntax)
    {
        if (kind == ValueKind.Bool)
            return (["false", "true"], [null, null]);
        if (kind == ValueKind.Enum)
        {
            var members = element.GetMembers().OfType<IFieldSymbol>()
                .Where(f => f.HasConstantValue)
                .GroupBy(f => f.ConstantValue)
                .Select(g => $"{_elementName}.{g.First().Name}")
                .ToList();
            if (members.Count > 0)
                return (members, members.Select(_ => (double?)null).ToList());
        }
        diagnostics.Add(Descriptors.EmptyChoices, syntax, property.Name);
        return null;
    }

    private bool TryConvert(TypedConstant item, SyntaxNode? at, out string literal, out double? number, out string key)
    {
        literal = key = "";
        number = null;
        if (item.Kind == TypedConstantKind.Error)
            return false; // the compiler reports it
        if (item.Kind == TypedConstantKind.Array)
        {
            // An array inside the params array, as in [Choice(new[] { 1 }, 2)]: TypedConstant.Value would throw.
            diagnostics.Add(Descriptors.ChoiceValueMismatch, at, property.Name, element.ToDisplayString(), item.ToCSharpString());
            return false;
        }
        switch (kind)
        {
            case ValueKind.Int when item.Value is int i:
                literal = key = i.ToString(CultureInfo.InvariantCulture);
                number = i;
                return true;
            case ValueKind.Double when item.Value is int or double:
                double d = System.Convert.ToDouble(item.Value, CultureInfo.InvariantCulture);
                if (double.IsNaN(d) || double.IsInfinity(d))
                {
                    diagnostics.Add(Descriptors.NonFiniteChoice, at, property.Name, item.ToCSharpString());
                    return false;
                }
                key = d.ToString("R", CultureInfo.InvariantCulture);
                literal = key + "d";
                number = d;
                return true;
            case ValueKind.Bool when item.Value is bool b:
                literal = key = b ? "true" : "false";
                return true;
            case ValueKind.Enum when item.Kind == TypedConstantKind.Enum && SymbolEqualityComparer.Default.Equals(item.Type, element) && item.Value is not null:
                key = System.Convert.ToString(item.Value, CultureInfo.InvariantCulture) ?? "";
                var member = element.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, item.Value));
                literal = member is not null ? $"{_elementName}.{member.Name}" : $"(({_elementName})({key}))";
                return true;
            default:
                diagnostics.Add(Descriptors.ChoiceValueMismatch, at, property.Name, element.ToDisplayString(), item.IsNull ? "null" : item.ToCSharpString());
                return false;
        }
    }
}
