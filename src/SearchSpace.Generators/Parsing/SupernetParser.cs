using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SearchSpaceDsl.Generators.Diagnostics;
using SearchSpaceDsl.Generators.Model;
using static SearchSpaceDsl.Generators.Parsing.SymbolFacts;

namespace SearchSpaceDsl.Generators.Parsing;

/// <summary>
/// Turns one [Supernet] model class into a <see cref="SupernetModel"/>, or into diagnostics that say what to fix.
/// Runs in the transform step of the pipeline: reads symbols (of the class and of its architecture), keeps none.
/// </summary>
internal sealed class SupernetParser
{
    private const string ModuleOfTensors = "TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>";
    private const string LayerNamespace = "SearchSpaceDsl.Supernets.";
    private const string ModuleList = "TorchSharp.Modules.ModuleList";

    /// <summary>The layer attributes, the kind each declares and the entangled layer type it needs.</summary>
    private static readonly (string Attribute, LayerKind Kind, string LayerType)[] LayerAttributes =
    [
        (AttributeNames.Embedding, LayerKind.Embedding, "EntangledEmbedding"),
        (AttributeNames.Linear, LayerKind.Linear, "EntangledLinear"),
        (AttributeNames.LayerNorm, LayerKind.LayerNorm, "EntangledLayerNorm"),
        (AttributeNames.RmsNorm, LayerKind.RmsNorm, "EntangledRmsNorm"),
        (AttributeNames.Mlp, LayerKind.Mlp, "EntangledMlp"),
        (AttributeNames.SelfAttention, LayerKind.SelfAttention, "EntangledSelfAttention"),
    ];

    // Members the generator adds; a layer with one of these names would clash.
    private static readonly ImmutableHashSet<string> ReservedNames = ImmutableHashSet.Create(
        "Capacity", "Active", "Activate", "Extract", "ActiveSlices", "ActiveParameterCount", "CountParameters",
        "CountFlopsPerToken", "OnCreated");

    private readonly INamedTypeSymbol _type;
    private readonly TypeDeclarationSyntax _syntax;
    private readonly AttributeData _attribute;
    private readonly CancellationToken _cancellation;
    private readonly DiagnosticList _diagnostics = new();

    private SupernetParser(INamedTypeSymbol type, TypeDeclarationSyntax syntax, AttributeData attribute, CancellationToken cancellation)
    {
        _type = type;
        _syntax = syntax;
        _attribute = attribute;
        _cancellation = cancellation;
    }

    /// <summary>The result for the node the pipeline found, or null when another declaration of the same type is the one to process.</summary>
    public static SupernetResult? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellation)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || context.TargetNode is not TypeDeclarationSyntax syntax)
            return null;
        try
        {
            if (!IsFirstAnnotatedDeclaration(type, context, AttributeNames.Supernet))
                return null;
            var attribute = context.Attributes.FirstOrDefault(a => a.ApplicationSyntaxReference?.SyntaxTree == syntax.SyntaxTree
                    && syntax.Span.Contains(a.ApplicationSyntaxReference.Span))
                ?? context.Attributes.FirstOrDefault();
            if (attribute is null)
                return null;
            return new SupernetParser(type, syntax, attribute, cancellation).Run();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The generator never throws: a bug here becomes a diagnostic that asks for a report.
            var diagnostics = new DiagnosticList();
            diagnostics.Add(Descriptors.InternalError, syntax.Identifier.GetLocation(), type.Name, exception.GetType().Name + ": " + exception.Message);
            return new SupernetResult(null, diagnostics.ToImmutable());
        }
    }

    private SupernetResult Run()
    {
        bool shapeOk = CheckTypeShape();
        var architecture = ReadArchitecture();
        if (architecture is null || !shapeOk)
            return Failed();

        var choices = ArchitectureChoices.Read(architecture);
        var layers = ReadLayers(choices, architecture.Name);
        if (_diagnostics.HasErrors)
            return Failed();

        string? ns = _type.ContainingNamespace.IsGlobalNamespace ? null : _type.ContainingNamespace.ToDisplayString();
        var model = new SupernetModel(
            ns,
            _type.Name,
            _type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            HintName(_type, "-Supernet.g.cs"),
            ContainingTypes(_type),
            architecture.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            layers.ToImmutableArray(),
            CallsOnCreated());
        return new SupernetResult(model, ImmutableArray<DiagnosticInfo>.Empty);
    }

    // Errors (or none, when the compiler reports the problem): nothing is generated.
    private SupernetResult Failed() => new(null, _diagnostics.ToImmutable());

    /// <returns>Whether code can be generated for the type (the compiler may still report errors of its own).</returns>
    private bool CheckTypeShape()
    {
        var at = _syntax.Identifier.GetLocation();
        var baseType = _type.BaseType;
        if (baseType is { TypeKind: TypeKind.Error })
            return false; // the compiler reports the missing base type
        string? reason =
            _type.TypeKind != TypeKind.Class ? $"it is {(_type.IsRecord ? "a record struct" : Article(_type.TypeKind.ToString().ToLowerInvariant()))}"
            : _type.IsRecord ? "it is a record"
            : _type.TypeParameters.Length > 0 ? "it is generic"
            : _type.IsStatic ? "it is static"
            : _type.IsAbstract ? "it is abstract"
            : baseType?.ToDisplayString() != ModuleOfTensors ? $"it derives from '{baseType?.ToDisplayString() ?? "object"}', not directly from torch.nn.Module<Tensor, Tensor>"
            : _type.DeclaringSyntaxReferences.Any(r => r.GetSyntax(_cancellation) is TypeDeclarationSyntax { ParameterList: not null }) ? "it has a primary constructor"
            : null;
        bool ok = true;
        if (reason is not null)
        {
            _diagnostics.Add(Descriptors.UnsupportedSupernetType, at, _type.Name, reason);
            ok = false;
        }
        if (!_syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            _diagnostics.Add(Descriptors.SupernetNotPartial, at, _type.Name);
            ok = false;
        }
        for (var outer = _type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            bool partial = outer.DeclaringSyntaxReferences.All(r =>
                r.GetSyntax(_cancellation) is TypeDeclarationSyntax t && t.Modifiers.Any(SyntaxKind.PartialKeyword));
            string? outerReason = outer.TypeParameters.Length > 0 ? $"it is nested in the generic type '{outer.Name}'"
                : !partial ? $"it is nested in '{outer.Name}', which is not partial"
                : null;
            if (outerReason is not null)
            {
                _diagnostics.Add(Descriptors.UnsupportedSupernetType, at, _type.Name, outerReason);
                ok = false;
            }
        }
        // Two source types of one name in one scope (the compiler's CS0101) would share a hint name.
        for (var named = _type; named is not null; named = named.ContainingType)
        {
            var siblings = named.ContainingType?.GetTypeMembers(named.Name, named.Arity) ?? named.ContainingNamespace.GetTypeMembers(named.Name, named.Arity);
            if (siblings.Count(s => s.Locations.Any(l => l.IsInSource)) > 1)
            {
                _diagnostics.Add(Descriptors.UnsupportedSupernetType, at, _type.Name, $"another type in the same scope is also named '{named.Name}'");
                ok = false;
                break;
            }
        }
        return ok;
    }

    /// <summary>The [SearchSpace] type of <c>[Supernet(typeof(…))]</c>, or null (reported, or left to the compiler).</summary>
    private INamedTypeSymbol? ReadArchitecture()
    {
        if (_attribute.AttributeConstructor is null || _attribute.ConstructorArguments.Length != 1)
            return null; // the compiler reports the broken attribute
        var argument = _attribute.ConstructorArguments[0];
        if (argument.Kind != TypedConstantKind.Type || argument.IsNull)
            return null;
        var at = (SyntaxNode?)(_attribute.ApplicationSyntaxReference?.GetSyntax(_cancellation) as AttributeSyntax)?.ArgumentList?.Arguments.FirstOrDefault() ?? _syntax;
        if (argument.Value is ITypeSymbol { TypeKind: TypeKind.Error })
            return null;
        if (argument.Value is INamedTypeSymbol named && Attribute(named, AttributeNames.SearchSpace) is not null
            && named.TypeKind == TypeKind.Class && named.TypeParameters.Length == 0)
            return named;
        _diagnostics.Add(Descriptors.ArchitectureNotSearchSpace, at, _type.Name, (argument.Value as ITypeSymbol)?.ToDisplayString() ?? "?");
        return null;
    }

    private List<LayerModel> ReadLayers(Dictionary<string, ArchitectureChoice> choices, string architectureName)
    {
        var layers = new List<LayerModel>();
        var stateNames = new Dictionary<string, string>(StringComparer.Ordinal);
        var properties = _type.GetMembers().OfType<IPropertySymbol>()
            .OrderBy(p => p.Locations.FirstOrDefault()?.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(p => p.Locations.FirstOrDefault()?.SourceSpan.Start ?? 0);
        foreach (var property in properties)
        {
            _cancellation.ThrowIfCancellationRequested();
            if (ReadLayer(property, choices, architectureName, stateNames) is { } layer)
                layers.Add(layer);
        }
        return layers;
    }

    private LayerModel? ReadLayer(IPropertySymbol property, Dictionary<string, ArchitectureChoice> choices, string architectureName,
        Dictionary<string, string> stateNames)
    {
        var layerAttributes = property.GetAttributes()
            .Select(a => (Data: a, Spec: LayerAttributes.FirstOrDefault(s => s.Attribute == a.AttributeClass?.ToDisplayString())))
            .Where(a => a.Spec.Attribute is not null)
            .ToList();
        var perLayer = Attribute(property, AttributeNames.PerLayer);
        var declaration = property.DeclaringSyntaxReferences.Select(r => r.GetSyntax(_cancellation)).OfType<PropertyDeclarationSyntax>().FirstOrDefault();
        Location at = declaration?.Identifier.GetLocation() ?? property.Locations.FirstOrDefault() ?? _syntax.Identifier.GetLocation();
        if (layerAttributes.Count != 1)
        {
            if (layerAttributes.Count > 1)
                _diagnostics.Add(Descriptors.LayerAttributeCount, at, property.Name,
                    "has " + string.Join(" and ", layerAttributes.Select(a => "[" + a.Data.AttributeClass!.Name.Replace("Attribute", "") + "]")));
            else if (perLayer is not null)
                _diagnostics.Add(Descriptors.LayerAttributeCount, at, property.Name, "has [PerLayer] but no layer attribute");
            return null;
        }
        var (attribute, (_, kind, layerType)) = layerAttributes[0];
        bool ok = true;

        string stateName = SnakeCase(property.Name);
        if (ReservedNames.Contains(property.Name) || property.Name == _type.Name)
        {
            _diagnostics.Add(Descriptors.LayerNameClash, at, property.Name, $"has the name of a member the generator adds to '{_type.Name}'");
            ok = false;
        }
        else if (stateNames.TryGetValue(stateName, out var other))
        {
            _diagnostics.Add(Descriptors.LayerNameClash, at, property.Name, $"has the state-dict name '{stateName}' of layer '{other}' too");
            ok = false;
        }
        else
        {
            stateNames.Add(stateName, property.Name);
        }

        if (declaration is null || !IsPartialGetOnly(property, declaration))
        {
            _diagnostics.Add(Descriptors.LayerNotPartialProperty, at, property.Name);
            ok = false;
        }

        string expected = perLayer is null ? LayerNamespace + layerType : $"{ModuleList}<{LayerNamespace}{layerType}>";
        if (property.Type.TypeKind == TypeKind.Error)
        {
            ok = false; // the compiler reports the unknown type
        }
        else if (property.Type.ToDisplayString() != expected)
        {
            string display = perLayer is null ? layerType : $"ModuleList<{layerType}>";
            _diagnostics.Add(Descriptors.LayerTypeMismatch, (SyntaxNode?)declaration?.Type ?? _syntax, property.Name,
                property.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat), attribute.AttributeClass!.Name.Replace("Attribute", "") + (perLayer is null ? "" : ", PerLayer"), display);
            ok = false;
        }

        string? depth = perLayer is null ? null : ReadDepth(property, perLayer, choices, architectureName);
        if (perLayer is not null && depth is null)
            return null; // without a depth, per-layer sizes cannot be checked

        var read = new LayerReader(_diagnostics, choices, architectureName, property.Name, depth, attribute, _cancellation).Read(kind);
        if (read is null || !ok || declaration is null)
            return null;

        string modifiers = string.Join(" ", declaration.Modifiers.Where(m => !m.IsKind(SyntaxKind.PartialKeyword)).Select(m => m.Text));
        return new LayerModel(property.Name, stateName, kind, modifiers, depth, read.Value.Sizes, read.Value.Vocab, read.Value.TiedHead);
    }

    /// <summary>The depth of a per-layer member: a scalar int choice of the architecture; null after a diagnostic.</summary>
    private string? ReadDepth(IPropertySymbol property, AttributeData perLayer, Dictionary<string, ArchitectureChoice> choices, string architectureName)
    {
        if (perLayer.AttributeConstructor is null || perLayer.ConstructorArguments.Length != 1)
            return null; // the compiler reports the broken attribute
        string name = StringValue(perLayer.ConstructorArguments[0]) ?? "";
        var at = (SyntaxNode?)(perLayer.ApplicationSyntaxReference?.GetSyntax(_cancellation) as AttributeSyntax)?.ArgumentList?.Arguments.FirstOrDefault() ?? _syntax;
        if (!choices.TryGetValue(name, out var choice))
        {
            _diagnostics.Add(Descriptors.SizeNamesNoChoice, at, property.Name, "[PerLayer]", name, architectureName);
            return null;
        }
        if (choice.IsPerLayer || choice.Kind != ValueKind.Int)
        {
            _diagnostics.Add(Descriptors.SizeChoiceWrongType, at, property.Name, "[PerLayer]", name, choice.Description, "a scalar int choice (a depth)");
            return null;
        }
        return name;
    }

    // A partial property without a body, not static, with 'get' only.
    private static bool IsPartialGetOnly(IPropertySymbol property, PropertyDeclarationSyntax declaration) =>
        property.IsPartialDefinition
        && property.PartialImplementationPart is null
        && !property.IsStatic
        && !property.IsIndexer
        && !property.IsRequired
        && property.GetMethod is not null
        && property.SetMethod is null
        && property.RefKind == RefKind.None
        && declaration.AccessorList is { } accessors
        && accessors.Accessors.All(a => a.Body is null && a.ExpressionBody is null);

    private bool CallsOnCreated() =>
        _type.GetMembers("OnCreated").OfType<IMethodSymbol>().Any(m =>
            !m.IsStatic && m.Parameters.Length == 0 && m.ReturnsVoid && !m.IsGenericMethod && m.MethodKind == MethodKind.Ordinary);

    /// <summary>The state-dict name of a member: <c>FinalNorm</c> → <c>final_norm</c>, <c>QKVProj</c> → <c>qkv_proj</c>, <c>Norm1</c> → <c>norm1</c>.</summary>
    internal static string SnakeCase(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c))
            {
                bool boundary = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1])
                    || (char.IsUpper(name[i - 1]) && i + 1 < name.Length && char.IsLower(name[i + 1])));
                if (boundary && name[i - 1] != '_')
                    text.Append('_');
                text.Append(char.ToLowerInvariant(c));
            }
            else
            {
                text.Append(c);
            }
        }
        return text.ToString();
    }
}
