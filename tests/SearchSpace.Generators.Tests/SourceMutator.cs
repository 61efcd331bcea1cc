using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace SearchSpaceDsl.Generators.Tests;

/// <summary>
/// Deterministic, seeded mutations of annotated sources: token edits, wrong property types, odd attribute
/// arguments, missing or extra modifiers, odd nesting, broken declarations. Each mutation is one text edit
/// located with the syntax tree; most results do not compile, which is the point.
/// </summary>
internal sealed class SourceMutator(int seed)
{
    private static readonly string[] Types =
    [
        "string", "int?", "double?", "bool?", "long", "float", "decimal", "object", "dynamic", "var", "void", "T",
        "List<int>", "System.Collections.Generic.List<int>", "ImmutableArray<string>", "ImmutableArray<int?>",
        "ImmutableArray<ImmutableArray<int>>", "ImmutableArray", "ImmutableList<int>", "int[]", "double[]", "(int, int)",
        "Undefined", "Undefined<int>", "ImmutableArray<Undefined>", "System.Int32", "Act", "ImmutableArray<Act>",
        "int", "double", "bool", "ImmutableArray<int>", "ImmutableArray<double>", "ImmutableArray<bool>", "int*",
        "delegate*<int>", "System.DayOfWeek", "ImmutableArray<System.DayOfWeek>",
        "EntangledMlp", "EntangledLayerNorm?", "ModuleList<EntangledMlp>", "ModuleList<EntangledLinear>", "EntangledSelfAttention",
    ];

    private static readonly string[] ArgumentLists =
    [
        "", "()", "(null)", "(\"text\")", "(1.5)", "(-1)", "(-2147483648)", "(int.MaxValue, int.MinValue)", "(2147483648)",
        "(99999999999999999999)", "(1e308, double.MaxValue)", "(double.NaN)", "(double.NegativeInfinity, 0.0)",
        "(nameof(Unknown))", "(typeof(int))", "(new int[0])", "((int[])null)", "((object[])null)", "(1, 1.5)",
        "(true, 1)", "(1, true)", "(Act.Relu, 3)", "((Act)42)", "((Act)(-1), (Act)1)", "(default)", "(\"\", \"\")",
        "(\"Layers\", \"message\", \"extra\")", "(nameof(Layers), nameof(Layers))", "(0)", "(0, 0)", "(1u)", "('c')",
        "(1m)", "(1L, 2L)", "(1f, 2f)", "(new object[] { 1, \"a\" })", "(new[] { 1, 2 })", "(new double[] { 2.0, 1.0 })",
        "(values: 1)", "(depth: \"Layers\")", "(predicate: \"Fits\", message: null)", "(null, null)", "(,)", "(1,)",
        "(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20)", "(Act.Relu | Act.Gelu)",
        "(System.DayOfWeek.Monday)", "(new Act[] { Act.Gelu })", "(\"\\0\\u0001\\\"quote\")", "(5, 4, 3, 2, 1)",
        "(-0.0, 0.0)", "(0.1 + 0.2, 0.3)", "(nameof(Arch))", "(nameof(Fits), \"\")",
    ];

    private static readonly string[] Expressions =
    [
        "null", "\"text\"", "1.5", "-1", "-2147483648", "2147483647", "4294967296", "1e400", "double.NaN",
        "double.PositiveInfinity", "nameof(Unknown)", "typeof(int)", "default", "new int[0]", "(Act)42", "Act.Relu",
        "true", "'c'", "1m", "1L", "\"\"", "nameof(Width)", "nameof(Layers)", "Undefined.Value", "1 / 0", "checked(int.MaxValue + 1)",
        "new[] { 1 }", "x => x", "throw null", "$\"{1}\"", "sizeof(int)", "0x7FFFFFFF", "-0.0", "\"Fits\"",
    ];

    private static readonly string[] Modifiers =
        ["static ", "abstract ", "readonly ", "new ", "virtual ", "override ", "required ", "file ", "unsafe ", "extern ", "const ", "async ", "ref ", "private ", "sealed "];

    private static readonly (string Open, string Close)[] Wrappers =
    [
        ("public class Outer { ", " }"),
        ("public partial class Outer<T> { ", " }"),
        ("public static partial class Outer { ", " }"),
        ("public partial struct Outer { ", " }"),
        ("public partial record struct Outer { ", " }"),
        ("public partial interface IOuter { ", " }"),
        ("public partial record Outer(int X) { ", " }"),
        ("public partial class Outer { public class Middle { ", " } }"),
        ("public partial class Outer { public partial class Middle<T> where T : struct { ", " } }"),
        ("public partial class Outer { public partial class Middle { ", " } }"),
        ("namespace Inner { ", " }"),
        ("public enum Outer { ", " }"),
        ("class Outer { void M() { ", " } }"),
        ("#if NEVER\n", "\n#endif"),
        ("/* ", " */"),
    ];

    private static readonly string[] TypeKeywords = ["struct", "record", "record class", "record struct", "interface", "class", "enum", "delegate", "partial"];

    private static readonly string[] Names = ["Space", "Parse", "TryParse", "Equals", "ToString", "GetHashCode", "EqualityContract", "Width", "Layers", "_", "@class", "Arch", "Quant", "Block", "Small", "Dimension", "__width", "value", "Capacity", "Activate", "Tokens", "Final_Norm", "__tokensLayer"];

    private static readonly string[] Garbage = ["{", "}", "(", ")", "[", "]", ";", ",", "\"", "'", "\n#if X\n", "/*", "@", "<", ">", "?", "partial ", "=>", "\n#error x\n", "\u0000", "\\u0041"];

    private readonly Random _random = new(seed);

    /// <summary>Applies one to three mutations; returns the text and what was done.</summary>
    public (string Source, string Description) Mutate(string source)
    {
        int count = _random.Next(10) switch { < 7 => 1, < 9 => 2, _ => 3 };
        var done = new List<string>();
        for (int i = 0; i < count; i++)
        {
            for (int attempt = 0; attempt < 20; attempt++)
            {
                var root = CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions).GetRoot();
                var mutation = Mutations[_random.Next(Mutations.Length)];
                if (mutation(this, root) is { } edit)
                {
                    source = source.Remove(edit.Span.Start, edit.Span.Length).Insert(edit.Span.Start, edit.Text);
                    done.Add(edit.Description);
                    break;
                }
            }
        }
        return (source, string.Join("; ", done));
    }

    private sealed record Edit(TextSpan Span, string Text, string Description);

    private static readonly Func<SourceMutator, SyntaxNode, Edit?>[] Mutations =
    [
        (m, root) => m.DeleteToken(root),
        (m, root) => m.DuplicateToken(root),
        (m, root) => m.SwapPropertyType(root),
        (m, root) => m.SwapPropertyType(root),
        (m, root) => m.ReplaceArgumentList(root),
        (m, root) => m.ReplaceArgumentList(root),
        (m, root) => m.ReplaceArgument(root),
        (m, root) => m.ReplaceArgument(root),
        (m, root) => m.RemovePartial(root),
        (m, root) => m.AddModifier(root),
        (m, root) => m.WrapSpace(root),
        (m, root) => m.ChangeTypeKeyword(root),
        (m, root) => m.AddTypeParametersOrConstructor(root),
        (m, root) => m.EditAttributeList(root),
        (m, root) => m.RenameProperty(root),
        (m, root) => m.DuplicateMember(root),
        (m, root) => m.AddPart(root),
        (m, root) => m.InsertGarbage(root),
        (m, root) => m.ReplaceLiteral(root),
        (m, root) => m.EditAccessors(root),
    ];

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private T? PickOrDefault<T>(IEnumerable<T> items)
    {
        var list = items.ToList();
        return list.Count == 0 ? default : Pick(list);
    }

    private static Edit Insert(int at, string text, string description) => new(new TextSpan(at, 0), text, description);

    private Edit? DeleteToken(SyntaxNode root)
    {
        var token = PickOrDefault(root.DescendantTokens().Where(t => !t.IsKind(SyntaxKind.EndOfFileToken)));
        return token == default ? null : new Edit(token.Span, "", $"delete '{token.Text}'");
    }

    private Edit? DuplicateToken(SyntaxNode root)
    {
        var token = PickOrDefault(root.DescendantTokens().Where(t => !t.IsKind(SyntaxKind.EndOfFileToken)));
        return token == default ? null : Insert(token.Span.End, " " + token.Text, $"duplicate '{token.Text}'");
    }

    private Edit? SwapPropertyType(SyntaxNode root)
    {
        var property = PickOrDefault(root.DescendantNodes().OfType<PropertyDeclarationSyntax>());
        string type = Pick(Types);
        return property is null ? null : new Edit(property.Type.Span, type, $"type of {property.Identifier.Text} -> {type}");
    }

    private Edit? ReplaceArgumentList(SyntaxNode root)
    {
        var attribute = PickOrDefault(root.DescendantNodes().OfType<AttributeSyntax>());
        if (attribute is null)
            return null;
        string arguments = Pick(ArgumentLists);
        var span = attribute.ArgumentList?.Span ?? new TextSpan(attribute.Name.Span.End, 0);
        return new Edit(span, arguments, $"[{attribute.Name}{arguments}]");
    }

    private Edit? ReplaceArgument(SyntaxNode root)
    {
        var argument = PickOrDefault(root.DescendantNodes().OfType<AttributeArgumentSyntax>());
        string expression = Pick(Expressions);
        return argument is null ? null : new Edit(argument.Span, expression, $"argument '{argument}' -> {expression}");
    }

    private Edit? RemovePartial(SyntaxNode root)
    {
        var token = PickOrDefault(root.DescendantTokens().Where(t => t.IsKind(SyntaxKind.PartialKeyword)));
        return token == default ? null : new Edit(token.Span, "", $"remove partial at {token.SpanStart}");
    }

    private Edit? AddModifier(SyntaxNode root)
    {
        var member = PickOrDefault(root.DescendantNodes().OfType<MemberDeclarationSyntax>().Where(m => m is BaseTypeDeclarationSyntax or PropertyDeclarationSyntax or MethodDeclarationSyntax));
        if (member is null)
            return null;
        string modifier = Pick(Modifiers);
        int at = member.Modifiers.Count > 0 ? member.Modifiers[0].SpanStart : member.AttributeLists.Count > 0 ? member.AttributeLists.Last().Span.End : member.SpanStart;
        return Insert(at, at == member.SpanStart ? modifier : " " + modifier, $"add {modifier.Trim()} to {member.Kind()}");
    }

    private Edit? WrapSpace(SyntaxNode root)
    {
        var type = PickOrDefault(root.DescendantNodes().OfType<TypeDeclarationSyntax>().Where(t => t.AttributeLists.Count > 0));
        if (type is null)
            return null;
        var (open, close) = Pick(Wrappers);
        return new Edit(type.Span, open + type.ToString() + close, $"wrap {type.Identifier} in '{open.Trim()}'");
    }

    private Edit? ChangeTypeKeyword(SyntaxNode root)
    {
        var type = PickOrDefault(root.DescendantNodes().OfType<TypeDeclarationSyntax>());
        string keyword = Pick(TypeKeywords);
        if (type is null)
            return null;
        var span = type is RecordDeclarationSyntax { ClassOrStructKeyword.Span.Length: > 0 } record
            ? TextSpan.FromBounds(record.Keyword.SpanStart, record.ClassOrStructKeyword.Span.End)
            : type.Keyword.Span;
        return new Edit(span, keyword, $"{type.Identifier} becomes {keyword}");
    }

    private Edit? AddTypeParametersOrConstructor(SyntaxNode root)
    {
        var type = PickOrDefault(root.DescendantNodes().OfType<TypeDeclarationSyntax>());
        string text = Pick(["<T>", "<T> where T : struct", "(int Width)", "(int x)", "()", "<>", "<T, U>"]);
        return type is null ? null : Insert(type.Identifier.Span.End, text, $"{type.Identifier}{text}");
    }

    private Edit? EditAttributeList(SyntaxNode root)
    {
        var lists = root.DescendantNodes().OfType<AttributeListSyntax>().ToList();
        var members = root.DescendantNodes().OfType<MemberDeclarationSyntax>().Where(m => m is PropertyDeclarationSyntax or TypeDeclarationSyntax or MethodDeclarationSyntax).ToList();
        switch (_random.Next(4))
        {
            case 0 when lists.Count > 0:
                var removed = Pick(lists);
                return new Edit(removed.Span, "", $"remove {removed}");
            case 1 when lists.Count > 0:
                var copied = Pick(lists);
                return Insert(copied.Span.End, " " + copied, $"duplicate {copied}");
            case 2 when members.Count > 0:
                var member = Pick(members);
                string attribute = Pick(["[SearchSpace]", "[Choice(1, 2)]", "[Choice]", "[PerLayer(nameof(Layers))]", "[PerLayer(\"Width\")]", "[Constraint(\"Fits\", \"m\")]", "[SearchSpaceDsl.Choice(3)]", "[global::SearchSpaceDsl.SearchSpace]", "[System.Obsolete]"]);
                return Insert(member.SpanStart, attribute + " ", $"add {attribute} to {member.Kind()}");
            case 3 when lists.Count > 1:
                var first = Pick(lists);
                var second = Pick(lists);
                return first == second || first.Span.OverlapsWith(second.Span) ? null
                    : first.SpanStart < second.SpanStart
                        ? new Edit(TextSpan.FromBounds(first.SpanStart, second.Span.End), second + root.ToFullString()[first.Span.End..second.SpanStart] + first, $"swap {first} and {second}")
                        : new Edit(TextSpan.FromBounds(second.SpanStart, first.Span.End), first + root.ToFullString()[second.Span.End..first.SpanStart] + second, $"swap {second} and {first}");
            default:
                return null;
        }
    }

    private Edit? RenameProperty(SyntaxNode root)
    {
        var property = PickOrDefault(root.DescendantNodes().OfType<PropertyDeclarationSyntax>());
        string name = Pick(Names);
        return property is null ? null : new Edit(property.Identifier.Span, name, $"rename {property.Identifier} -> {name}");
    }

    private Edit? DuplicateMember(SyntaxNode root)
    {
        var member = PickOrDefault(root.DescendantNodes().OfType<MemberDeclarationSyntax>().Where(m => m is not BaseNamespaceDeclarationSyntax));
        return member is null ? null : Insert(member.Span.End, "\n" + member, $"duplicate {member.Kind()}");
    }

    private Edit? AddPart(SyntaxNode root)
    {
        var type = PickOrDefault(root.DescendantNodes().OfType<TypeDeclarationSyntax>().Where(t => t.AttributeLists.Count > 0));
        if (type is null)
            return null;
        string keyword = type is RecordDeclarationSyntax ? "record" : "class";
        string part = Pick([
            $"[SearchSpace] partial {keyword} {type.Identifier} {{ }}",
            $"partial {keyword} {type.Identifier} {{ [Choice(1, 2)] public partial int Extra {{ get; }} }}",
            $"partial {keyword} {type.Identifier} {{ public partial int Width {{ get => 1; }} }}",
            $"partial {keyword} {type.Identifier} {{ [Choice(7)] public partial int Width {{ get; }} }}",
            $"partial {keyword} {type.Identifier} {{ public static int Space => 1; }}",
            $"partial {keyword} {type.Identifier} {{ public {type.Identifier}(int a) {{ }} }}",
            $"partial {keyword} {type.Identifier} : System.IDisposable {{ }}",
            $"partial struct {type.Identifier} {{ }}",
        ]);
        return Insert(type.Span.End, "\n" + part, $"add part '{part}'");
    }

    private Edit? InsertGarbage(SyntaxNode root)
    {
        string text = root.ToFullString();
        string garbage = Pick(Garbage);
        int at = _random.Next(text.Length + 1);
        return Insert(at, garbage, $"insert {garbage.Trim()} at {at}");
    }

    private Edit? ReplaceLiteral(SyntaxNode root)
    {
        var literal = PickOrDefault(root.DescendantNodes().OfType<LiteralExpressionSyntax>());
        string value = Pick(Expressions);
        return literal is null ? null : new Edit(literal.Span, value, $"literal {literal} -> {value}");
    }

    private Edit? EditAccessors(SyntaxNode root)
    {
        var property = PickOrDefault(root.DescendantNodes().OfType<PropertyDeclarationSyntax>().Where(p => p.AccessorList is not null));
        string accessors = Pick(["{ get; set; }", "{ init; }", "{ get; init; set; }", "{ }", "{ get => 1; }", "{ get; private set; }", "{ private get; init; }", "{ get; protected init; }", "=> 1;", "{ get; } = 3;", "{ get; get; }", "{ add; remove; }"]);
        return property is null ? null : new Edit(property.AccessorList!.Span, accessors, $"accessors of {property.Identifier} -> {accessors}");
    }
}
