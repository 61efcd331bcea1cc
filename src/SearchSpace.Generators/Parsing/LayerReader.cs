using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SearchSpaceDsl.Generators.Diagnostics;
using SearchSpaceDsl.Generators.Model;

namespace SearchSpaceDsl.Generators.Parsing;

/// <summary>
/// Reads the sizes of one layer attribute (<c>[Mlp(Dim = nameof(A.EmbedDim), …)]</c>) into <see cref="SizeModel"/>s,
/// resolving every choice name against the architecture and reporting each misuse at its argument.
/// </summary>
internal sealed class LayerReader
{
    private const string IntSize = "an int constant or the name of an int choice (nameof)";
    private const string BoolSize = "a bool constant or the name of a bool choice (nameof)";

    private readonly DiagnosticList _diagnostics;
    private readonly IReadOnlyDictionary<string, ArchitectureChoice> _choices;
    private readonly string _architectureName;
    private readonly string _member;
    private readonly string _attributeName;
    private readonly string? _depth;
    private readonly AttributeData _attribute;
    private readonly AttributeSyntax? _syntax;
    private bool _ok = true;

    public LayerReader(DiagnosticList diagnostics, IReadOnlyDictionary<string, ArchitectureChoice> choices, string architectureName,
        string member, string? depth, AttributeData attribute, CancellationToken cancellation)
    {
        _diagnostics = diagnostics;
        _choices = choices;
        _architectureName = architectureName;
        _member = member;
        _depth = depth;
        _attribute = attribute;
        _attributeName = attribute.AttributeClass?.Name is { } name && name.EndsWith("Attribute") ? name.Substring(0, name.Length - "Attribute".Length) : "layer";
        _syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellation) as AttributeSyntax;
    }

    /// <summary>The sizes in the order of <see cref="LayerKind"/>, the vocabulary and the tied-head flag; null after an error.</summary>
    public (ImmutableArray<SizeModel> Sizes, int Vocab, bool TiedHead)? Read(LayerKind kind)
    {
        var sizes = new List<SizeModel?>();
        int vocab = 0;
        bool tiedHead = false;
        switch (kind)
        {
            case LayerKind.Embedding:
                vocab = Vocab();
                sizes.Add(Size("Dim", isBool: false, fallback: null));
                tiedHead = TryGet("TiedHead", out var tied, out _) && tied.Value is true;
                break;
            case LayerKind.Linear:
                sizes.Add(Size("In", isBool: false, fallback: null));
                sizes.Add(Size("Out", isBool: false, fallback: null));
                sizes.Add(Size("Bias", isBool: true, fallback: "true"));
                break;
            case LayerKind.LayerNorm:
            case LayerKind.RmsNorm:
                sizes.Add(Size("Dim", isBool: false, fallback: null));
                break;
            case LayerKind.Mlp:
                var dim = Size("Dim", isBool: false, fallback: null);
                sizes.Add(dim);
                sizes.Add(Hidden(dim));
                sizes.Add(Size("Bias", isBool: true, fallback: "true"));
                break;
            case LayerKind.SelfAttention:
                sizes.Add(Size("Dim", isBool: false, fallback: null));
                var heads = Size("Heads", isBool: false, fallback: null);
                sizes.Add(heads);
                sizes.Add(Size("HeadSize", isBool: false, fallback: null));
                sizes.Add(Size("Bias", isBool: true, fallback: "true"));
                var groups = Size("KvGroups", isBool: false, fallback: "0");
                sizes.Add(groups);
                CheckGroups(heads, groups);
                break;
        }
        if (!_ok || sizes.Any(s => s is null))
            return null;
        return (sizes.Select(s => s!).ToImmutableArray(), vocab, tiedHead);
    }

    private int Vocab()
    {
        if (!TryGet("Vocab", out var value, out var at))
        {
            Report(Descriptors.SizeMissing, _syntax?.Name, _member, _attributeName, "Vocab, the number of embeddings (a positive int constant)");
            return 0;
        }
        if (value.Value is int vocab && vocab < 1)
            Report(Descriptors.SizeNotPositive, at, _member, "Vocab", vocab.ToString(CultureInfo.InvariantCulture));
        return value.Value as int? ?? 0;
    }

    // Exactly one of Hidden and HiddenRatio; a ratio multiplies the width.
    private SizeModel? Hidden(SizeModel? dim)
    {
        bool hasHidden = TryGet("Hidden", out _, out _);
        bool hasRatio = TryGet("HiddenRatio", out _, out var ratioAt);
        if (hasHidden == hasRatio)
        {
            Report(Descriptors.SizeMissing, hasRatio ? ratioAt : _syntax?.Name, _member, _attributeName,
                hasRatio ? "exactly one of Hidden and HiddenRatio, not both" : "Hidden or HiddenRatio (the hidden width, or its multiple of Dim)");
            return null;
        }
        if (hasHidden)
            return Size("Hidden", isBool: false, fallback: null);
        var ratio = Size("HiddenRatio", isBool: false, fallback: null);
        if (ratio is null || dim is null)
            return null;
        return new SizeModel("Hidden", false, ratio.Factors.Concat(dim.Factors).ToImmutableArray());
    }

    // A constant number of key/value groups must divide every possible number of heads (chosen groups: checked at activation).
    private void CheckGroups(SizeModel? heads, SizeModel? groups)
    {
        if (heads is null || groups is null || !groups.IsConstant || !TryGet("KvGroups", out _, out var at))
            return;
        int g = int.Parse(groups.Factors[0].Literal, CultureInfo.InvariantCulture);
        var factor = heads.Factors[0];
        var values = factor.Choice is null
            ? [int.Parse(factor.Literal, CultureInfo.InvariantCulture)]
            : _choices[factor.Choice].IntValues;
        foreach (int h in values)
        {
            if (h % g == 0)
                continue;
            string detail = factor.Choice is null
                ? $"Heads = {h} is not a multiple of KvGroups = {g}"
                : $"Heads names '{factor.Choice}', which lists {h}, not a multiple of KvGroups = {g}";
            Report(Descriptors.IncompatibleSizes, at, _member, detail + "; every number of query heads must split evenly into the key/value groups");
            return;
        }
    }

    private SizeModel? Size(string parameter, bool isBool, string? fallback)
    {
        if (!TryGet(parameter, out var value, out var at))
        {
            if (fallback is not null)
                return new SizeModel(parameter, isBool, ImmutableArray.Create(FactorModel.Constant(fallback)));
            Report(Descriptors.SizeMissing, _syntax?.Name, _member, _attributeName, parameter);
            return null;
        }
        var factor = Factor(parameter, isBool, value, at);
        return factor is null ? null : new SizeModel(parameter, isBool, ImmutableArray.Create(factor));
    }

    private FactorModel? Factor(string parameter, bool isBool, TypedConstant value, SyntaxNode? at)
    {
        if (value.Kind == TypedConstantKind.Error)
        {
            _ok = false; // the compiler reports it
            return null;
        }
        if (value.Kind == TypedConstantKind.Primitive && !value.IsNull)
        {
            switch (value.Value)
            {
                case int n when !isBool:
                    if (n >= 1)
                        return FactorModel.Constant(n.ToString(CultureInfo.InvariantCulture));
                    Report(Descriptors.SizeNotPositive, at, _member, parameter, n.ToString(CultureInfo.InvariantCulture));
                    return null;
                case bool b when isBool:
                    return FactorModel.Constant(b ? "true" : "false");
                case string name:
                    return Choice(parameter, isBool, name, at);
            }
        }
        Report(Descriptors.SizeInvalid, at, _member, parameter, isBool ? BoolSize : IntSize, Describe(value));
        return null;
    }

    private FactorModel? Choice(string parameter, bool isBool, string name, SyntaxNode? at)
    {
        if (!_choices.TryGetValue(name, out var choice))
        {
            Report(Descriptors.SizeNamesNoChoice, at, _member, parameter, name, _architectureName);
            return null;
        }
        if (choice.Kind != (isBool ? ValueKind.Bool : ValueKind.Int))
        {
            Report(Descriptors.SizeChoiceWrongType, at, _member, parameter, name, choice.Description, isBool ? "a bool choice" : "an int choice");
            return null;
        }
        if (choice.IsPerLayer && _depth is null)
        {
            Report(Descriptors.PerLayerChoiceInSingleLayer, at, _member, parameter, name, choice.Depth!);
            return null;
        }
        if (choice.IsPerLayer && choice.Depth != _depth)
        {
            Report(Descriptors.PerLayerDepthMismatch, at, _member, _depth!, parameter, name, choice.Depth!);
            return null;
        }
        if (!isBool && choice.IntValues.Any(v => v < 1))
        {
            Report(Descriptors.SizeChoiceNotPositive, at, _member, parameter, name, choice.IntValues.First(v => v < 1).ToString(CultureInfo.InvariantCulture));
            return null;
        }
        return new FactorModel(name, choice.IsPerLayer, "");
    }

    private bool TryGet(string name, out TypedConstant value, out SyntaxNode? at)
    {
        foreach (var argument in _attribute.NamedArguments)
        {
            if (argument.Key != name)
                continue;
            value = argument.Value;
            at = _syntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name)?.Expression
                ?? (SyntaxNode?)_syntax;
            return true;
        }
        value = default;
        at = null;
        return false;
    }

    private static string Describe(TypedConstant value) => value.Kind switch
    {
        _ when value.IsNull => "null",
        TypedConstantKind.Array => "an array",
        TypedConstantKind.Type => "a type",
        TypedConstantKind.Enum => "an enum value",
        _ => value.Type is { } type ? $"{SymbolFacts.Article(type.ToDisplayString())} ({value.ToCSharpString()})" : value.ToCSharpString(),
    };

    private void Report(DiagnosticDescriptor descriptor, SyntaxNode? at, params string[] arguments)
    {
        _ok = false;
        _diagnostics.Add(descriptor, at, arguments);
    }
}
