using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SearchSpaceDsl.Generators.Diagnostics;
using SearchSpaceDsl.Generators.Model;
using static SearchSpaceDsl.Generators.Parsing.SymbolFacts;

namespace SearchSpaceDsl.Generators.Parsing;

/// <summary>
/// Turns one [SearchSpace] type into a <see cref="SpaceModel"/>, or into diagnostics that say what to fix.
/// Runs in the transform step of the pipeline: reads symbols, keeps none.
/// </summary>
internal sealed class SpaceParser
{
    // Members the generator adds; a choice with one of these names would clash.
    private static readonly ImmutableHashSet<string> ReservedNames = ImmutableHashSet.Create(
        "Space", "Parse", "TryParse", "Equals", "GetHashCode", "ToString", "GetType", "EqualityContract",
        "Deconstruct", "PrintMembers", "MemberwiseClone", "Finalize");

    private readonly INamedTypeSymbol _type;
    private readonly TypeDeclarationSyntax _syntax;
    private readonly CancellationToken _cancellation;
    private readonly DiagnosticList _diagnostics = new();

    private SpaceParser(INamedTypeSymbol type, TypeDeclarationSyntax syntax, CancellationToken cancellation)
    {
        _type = type;
        _syntax = syntax;
        _cancellation = cancellation;
    }

    /// <summary>The result for the node the pipeline found, or null when another declaration of the same type is the one to process.</summary>
    public static SpaceResult? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellation)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || context.TargetNode is not TypeDeclarationSyntax syntax)
            return null;
        try
        {
            if (!SymbolFacts.IsFirstAnnotatedDeclaration(type, context, AttributeNames.SearchSpace))
                return null;
            return new SpaceParser(type, syntax, cancellation).Run();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The generator never throws: a bug here becomes a diagnostic that asks for a report.
            var diagnostics = new DiagnosticList();
            diagnostics.Add(Descriptors.InternalError, syntax.Identifier.GetLocation(), type.Name, exception.GetType().Name + ": " + exception.Message);
            return new SpaceResult(null, diagnostics.ToImmutable());
        }
    }

    private SpaceResult Run()
    {
        CheckTypeShape();
        var dimensions = ReadDimensions();
        CheckDepths(dimensions);
        var constraints = ReadConstraints();
        if (dimensions.Count == 0 && !_type.GetMembers().OfType<IPropertySymbol>().Any(p => Attribute(p, AttributeNames.Choice) is not null))
            _diagnostics.Add(Descriptors.NoChoices, _syntax.Identifier.GetLocation(), _type.Name);

        if (_diagnostics.HasErrors)
            return new SpaceResult(null, _diagnostics.ToImmutable());

        string? ns = _type.ContainingNamespace.IsGlobalNamespace ? null : _type.ContainingNamespace.ToDisplayString();
        var model = new SpaceModel(
            ns,
            _type.Name,
            _type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            SymbolFacts.HintName(_type, ".g.cs"),
            _type.IsRecord,
            _type.IsSealed,
            SymbolFacts.ContainingTypes(_type),
            dimensions.Select(d => d.Model).ToImmutableArray(),
            constraints);
        return new SpaceResult(model, ImmutableArray<DiagnosticInfo>.Empty);
    }

    private void CheckTypeShape()
    {
        var at = _syntax.Identifier.GetLocation();
        string? reason =
            _type.TypeKind != TypeKind.Class ? $"it is {(_type.IsRecord ? "a record struct" : Article(_type.TypeKind.ToString().ToLowerInvariant()))}"
            : _type.TypeParameters.Length > 0 ? "it is generic"
            : _type.BaseType is { SpecialType: not SpecialType.System_Object, TypeKind: not TypeKind.Error } baseType
                ? $"it derives from '{baseType.Name}', whose state the generated equality could not see"
            : _type.IsStatic ? "it is static"
            : _type.IsAbstract ? "it is abstract"
            : _type.DeclaringSyntaxReferences.Any(r => r.GetSyntax(_cancellation) is TypeDeclarationSyntax { ParameterList: not null }) ? "it has a primary constructor (declare the choices as partial properties instead)"
            : null;
        if (reason is not null)
            _diagnostics.Add(Descriptors.UnsupportedType, at, _type.Name, reason);
        if (!_syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
            _diagnostics.Add(Descriptors.TypeNotPartial, at, _type.Name);

        for (var outer = _type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            if (outer.TypeParameters.Length > 0)
                _diagnostics.Add(Descriptors.UnsupportedType, at, _type.Name, $"it is nested in the generic type '{outer.Name}'");
            bool partial = outer.DeclaringSyntaxReferences.All(r =>
                r.GetSyntax(_cancellation) is TypeDeclarationSyntax t && t.Modifiers.Any(SyntaxKind.PartialKeyword));
            if (!partial)
                _diagnostics.Add(Descriptors.ContainingTypeNotPartial, at, _type.Name, outer.Name);
        }

        // Two source types of one name in one scope (the compiler's CS0101, say a class and a record) would share a hint name.
        for (var named = _type; named is not null; named = named.ContainingType)
        {
            var siblings = named.ContainingType?.GetTypeMembers(named.Name, named.Arity) ?? named.ContainingNamespace.GetTypeMembers(named.Name, named.Arity);
            if (siblings.Count(s => s.Locations.Any(l => l.IsInSource)) > 1)
            {
                _diagnostics.Add(Descriptors.UnsupportedType, at, _type.Name, $"another type in the same scope is also named '{named.Name}'");
                break;
            }
        }
    }

    private List<DimensionDraft> ReadDimensions()
    {
        var drafts = new List<DimensionDraft>();
        var properties = _type.GetMembers().OfType<IPropertySymbol>()
            .Where(p => Attribute(p, AttributeNames.Choice) is not null || Attribute(p, AttributeNames.PerLayer) is not null)
            .OrderBy(p => p.Locations.FirstOrDefault()?.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(p => p.Locations.FirstOrDefault()?.SourceSpan.Start ?? 0);
        foreach (var property in properties)
        {
            _cancellation.ThrowIfCancellationRequested();
            if (ReadDimension(property) is { } draft)
                drafts.Add(draft);
        }
        return drafts;
    }

    private DimensionDraft? ReadDimension(IPropertySymbol property)
    {
        var declaration = property.DeclaringSyntaxReferences.Select(r => r.GetSyntax(_cancellation)).OfType<PropertyDeclarationSyntax>().FirstOrDefault();
        Location at = declaration?.Identifier.GetLocation() ?? property.Locations.FirstOrDefault() ?? _syntax.Identifier.GetLocation();
        var choice = Attribute(property, AttributeNames.Choice);
        var perLayer = Attribute(property, AttributeNames.PerLayer);
        if (choice is null)
        {
            _diagnostics.Add(Descriptors.PerLayerWithoutChoice, at, property.Name);
            return null;
        }

        bool ok = true;
        if (ReservedNames.Contains(property.Name) || property.Name == _type.Name)
        {
            _diagnostics.Add(Descriptors.ReservedName, at, property.Name, _type.Name);
            ok = false;
        }
        if (declaration is null || !IsPartialDefinition(property, declaration))
        {
            _diagnostics.Add(Descriptors.ChoiceNotPartialProperty, at, property.Name);
            ok = false;
        }

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
        if (kind is null)
        {
            if (property.Type.TypeKind != TypeKind.Error)
                _diagnostics.Add(Descriptors.UnsupportedValueType, (SyntaxNode?)declaration?.Type ?? _syntax, property.Name, property.Type.ToDisplayString());
            return null;
        }
        if (isArray && perLayer is null)
        {
            _diagnostics.Add(Descriptors.ArrayNeedsPerLayer, at, property.Name);
            ok = false;
        }
        if (!isArray && perLayer is not null)
        {
            _diagnostics.Add(Descriptors.PerLayerNeedsArray, at, property.Name, element.ToDisplayString());
            ok = false;
        }

        var values = new ChoiceValues(_diagnostics, property, element, kind.Value).Read(choice);
        if (values is null || !ok || declaration is null)
            return null;

        string? depth = perLayer is null ? null : StringValue(perLayer.ConstructorArguments.FirstOrDefault()) ?? "";
        var model = new DimensionModel(
            property.Name,
            element.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            values.Value.Literals.ToImmutableArray(),
            depth,
            string.Join(" ", declaration.Modifiers.Where(m => !m.IsKind(SyntaxKind.PartialKeyword)).Select(m => m.Text)),
            declaration.AccessorList!.Accessors.Select(a => string.Join(" ", a.Modifiers.Select(m => m.Text).Concat([a.Keyword.Text]))).ToImmutableArray());
        var depthAt = (perLayer?.ApplicationSyntaxReference?.GetSyntax(_cancellation) as AttributeSyntax)?.ArgumentList?.Arguments.FirstOrDefault();
        var choiceAt = choice.ApplicationSyntaxReference?.GetSyntax(_cancellation);
        return new DimensionDraft(model, kind.Value, values.Value.Numbers, depthAt, choiceAt);
    }

    // A partial property without a body, not static, with 'get' and optionally 'init'.
    private static bool IsPartialDefinition(IPropertySymbol property, PropertyDeclarationSyntax declaration) =>
        property.IsPartialDefinition
        && property.PartialImplementationPart is null
        && !property.IsStatic
        && !property.IsIndexer
        && !property.IsRequired
        && property.GetMethod is not null
        && property.SetMethod is null or { IsInitOnly: true }
        && declaration.AccessorList is { } accessors
        && accessors.Accessors.All(a => a.Body is null && a.ExpressionBody is null);

    private void CheckDepths(List<DimensionDraft> drafts)
    {
        var reportedNegative = new HashSet<string>();
        foreach (var draft in drafts.Where(d => d.Model.IsPerLayer))
        {
            string depthName = draft.Model.PerLayerOf!;
            var depth = drafts.FirstOrDefault(d => d.Model.Name == depthName);
            string? problem =
                depth is null ? null
                : depth.Model.IsPerLayer ? "is itself a per-layer choice"
                : depth.Kind != ValueKind.Int ? $"is a {depth.Model.ElementType.Replace("global::", "")} choice"
                : null;
            if (depth is null)
                _diagnostics.Add(Descriptors.DepthNotFound, draft.DepthSyntax ?? _syntax, draft.Model.Name, depthName, _type.Name);
            else if (problem is not null)
                _diagnostics.Add(Descriptors.DepthNotIntChoice, draft.DepthSyntax ?? _syntax, draft.Model.Name, depthName, problem);
            else if (depth.Numbers.FirstOrDefault(n => n < 0) is { } negative && reportedNegative.Add(depthName))
                _diagnostics.Add(Descriptors.NegativeDepth, depth.ChoiceSyntax ?? _syntax, depthName, ((int)negative).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private ImmutableArray<ConstraintModel> ReadConstraints()
    {
        var constraints = ImmutableArray.CreateBuilder<ConstraintModel>();
        foreach (var attribute in _type.GetAttributes().Where(a => a.AttributeClass?.ToDisplayString() == AttributeNames.Constraint))
        {
            if (attribute.AttributeConstructor is null || attribute.ConstructorArguments.Length != 2)
                continue; // the compiler reports the broken attribute
            var arguments = (attribute.ApplicationSyntaxReference?.GetSyntax(_cancellation) as AttributeSyntax)?.ArgumentList?.Arguments;
            SyntaxNode predicateAt = (SyntaxNode?)arguments?.ElementAtOrDefault(0) ?? _syntax;
            SyntaxNode messageAt = (SyntaxNode?)arguments?.ElementAtOrDefault(1) ?? _syntax;
            string name = StringValue(attribute.ConstructorArguments[0]) ?? "";
            string message = StringValue(attribute.ConstructorArguments[1]) ?? "";

            var methods = name.Length == 0 ? [] : _type.GetMembers(name).OfType<IMethodSymbol>().ToList();
            if (methods.Count == 0)
                _diagnostics.Add(Descriptors.ConstraintNotFound, predicateAt, name, _type.Name);
            else if (!methods.Any(IsPredicate))
                _diagnostics.Add(Descriptors.ConstraintSignature, predicateAt, name, _type.Name);
            if (string.IsNullOrWhiteSpace(message))
                _diagnostics.Add(Descriptors.ConstraintMessageMissing, messageAt, name);
            constraints.Add(new ConstraintModel(name, message));
        }
        return constraints.ToImmutable();
    }

    private bool IsPredicate(IMethodSymbol method) =>
        method.IsStatic
        && !method.IsGenericMethod
        && method.ReturnType.SpecialType == SpecialType.System_Boolean
        && method.Parameters.Length == 1
        && method.Parameters[0].RefKind == RefKind.None
        && SymbolEqualityComparer.Default.Equals(method.Parameters[0].Type, _type);

    /// <summary>A dimension read from its property, with what the depth checks need.</summary>
    private sealed record DimensionDraft(DimensionModel Model, ValueKind Kind, List<double?> Numbers, SyntaxNode? DepthSyntax, SyntaxNode? ChoiceSyntax);
}
