using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace SearchSpaceDsl.Generators.Tests;

/// <summary>
/// Incrementality: after edits that do not touch a space, the parse step and the source output come from the
/// cache; after an edit of a choice they do not. The parse step's values hold no symbols or syntax.
/// </summary>
public sealed class CachingTests
{
    private const string Space = """
        using System.Collections.Immutable;
        using SearchSpaceDsl;
        namespace Demo;
        [SearchSpace]
        [Constraint(nameof(Fits), "heads must divide the width")]
        public sealed partial class Arch
        {
            [Choice(64, 128)] public partial int Width { get; }
            [Choice(1, 2, 3)] public partial int Layers { get; }
            [Choice(2, 4), PerLayer(nameof(Layers))] public partial ImmutableArray<int> Heads { get; }
            private static bool Fits(Arch a) => true;
        }
        """;

    private const string OtherSpace = """
        using SearchSpaceDsl;
        namespace Demo;
        [SearchSpace]
        public sealed partial class Other
        {
            [Choice(0.5, 1.0)] public partial double Rate { get; }
        }
        """;

    private const string Helpers = """
        namespace Demo;
        public static class Helpers
        {
            public static int Twice(int x) => x * 2;
        }
        """;

    private static readonly IncrementalStepRunReason[] CachedReasons =
        [IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged];

    [Fact]
    public void Adding_an_unrelated_file_hits_the_cache()
    {
        var first = RunFirst(Space, Helpers);
        var second = GeneratorHarness.Run(first.Driver,
            first.Input.AddSyntaxTrees(GeneratorHarness.Parse("namespace Demo; public sealed class Unrelated { }", "Unrelated.cs")));

        AssertAllCached(second.Result);
        Assert.Equal(first.SourceText("Demo.Arch.g.cs"), second.SourceText("Demo.Arch.g.cs"));
    }

    [Fact]
    public void Editing_a_method_body_in_another_file_hits_the_cache()
    {
        var first = RunFirst(Space, Helpers);
        var second = Rerun(first, "Input1.cs", Helpers.Replace("x * 2", "x + x"));

        AssertAllCached(second.Result);
    }

    [Fact]
    public void Editing_the_predicate_body_in_the_same_file_leaves_the_output_unchanged()
    {
        var first = RunFirst(Space, Helpers);
        var second = Rerun(first, "Input0.cs", Space.Replace("Fits(Arch a) => true;", "Fits(Arch a) => a.Width % 2 == 0;"));

        // The tree changed, so the parse step re-ran, but its model compares equal and the output is reused.
        AssertAllCached(second.Result);
    }

    [Fact]
    public void Changing_a_choice_value_modifies_the_output()
    {
        var first = RunFirst(Space, Helpers);
        var second = Rerun(first, "Input0.cs", Space.Replace("[Choice(64, 128)]", "[Choice(64, 256)]"));

        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(second.Result.TrackedSteps[SearchSpaceGenerator.ParseStep]));
        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(second.Result.TrackedOutputSteps.SelectMany(s => s.Value)));
        Assert.Contains("[64, 256]", second.SourceText("Demo.Arch.g.cs"));
    }

    [Fact]
    public void Changing_one_space_leaves_another_cached()
    {
        var first = RunFirst(Space, OtherSpace);
        var second = Rerun(first, "Input1.cs", OtherSpace.Replace("0.5, 1.0", "0.25, 1.0"));

        var outputs = second.Result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).ToList();
        Assert.Equal(2, outputs.Count);
        Assert.Single(outputs, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Single(outputs, o => CachedReasons.Contains(o.Reason));
    }

    [Fact]
    public void Parse_step_values_hold_no_symbols_syntax_or_compilations()
    {
        var run = RunFirst(Space, OtherSpace);
        var values = run.Result.TrackedSteps[SearchSpaceGenerator.ParseStep].SelectMany(s => s.Outputs).Select(o => o.Value).ToList();

        Assert.Equal(2, values.Count);
        foreach (var value in values)
            Assert.Empty(ForbiddenObjects(value));
    }

    [Fact]
    public void The_forbidden_object_walker_finds_a_symbol()
    {
        var compilation = GeneratorHarness.Compile(Space);
        var holder = new List<object> { "text", new[] { (object)compilation.GetTypeByMetadataName("Demo.Arch")! } };

        Assert.Single(ForbiddenObjects(holder));
    }

    private static GeneratorRun RunFirst(params string[] sources)
    {
        var run = GeneratorHarness.Run(sources);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Equal(sources.Count(s => s.Contains("[SearchSpace]")), run.Sources.Length);
        return run;
    }

    private static GeneratorRun Rerun(GeneratorRun previous, string path, string newSource)
    {
        var old = previous.Input.SyntaxTrees.Single(t => t.FilePath == path);
        var edited = previous.Input.ReplaceSyntaxTree(old, GeneratorHarness.Parse(newSource, path));
        var run = GeneratorHarness.Run(previous.Driver, edited);
        Assert.Empty(run.GeneratorDiagnostics);
        return run;
    }

    private static void AssertAllCached(GeneratorRunResult result)
    {
        Assert.Null(result.Exception);
        var parse = result.TrackedSteps[SearchSpaceGenerator.ParseStep];
        var outputs = result.TrackedOutputSteps.SelectMany(s => s.Value).ToList();
        Assert.NotEmpty(parse.SelectMany(s => s.Outputs));
        Assert.NotEmpty(outputs.SelectMany(s => s.Outputs));
        Assert.All(Reasons(parse), reason => Assert.Contains(reason, CachedReasons));
        Assert.All(Reasons(outputs), reason => Assert.Contains(reason, CachedReasons));
    }

    private static IEnumerable<IncrementalStepRunReason> Reasons(IEnumerable<IncrementalGeneratorRunStep> steps) =>
        steps.SelectMany(s => s.Outputs).Select(o => o.Reason);

    /// <summary>Everything reachable from <paramref name="root"/> through fields that would pin a compilation in the cache.</summary>
    internal static List<string> ForbiddenObjects(object root)
    {
        var found = new List<string>();
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<(object Value, string Path)>();
        pending.Push((root, root.GetType().Name));
        while (pending.Count > 0)
        {
            var (value, path) = pending.Pop();
            var type = value.GetType();
            if (type.IsPrimitive || type.IsEnum || value is string || (!type.IsValueType && !seen.Add(value)))
                continue;
            if (value is ISymbol or SyntaxNode or SyntaxTree or Compilation or SemanticModel or Location { IsInSource: true })
            {
                found.Add($"{path}: {type.Name}");
                continue;
            }
            if (value is IEnumerable items)
            {
                int i = 0;
                foreach (var item in items)
                {
                    if (item is not null)
                        pending.Push((item, $"{path}[{i}]"));
                    i++;
                }
                if (type.IsArray)
                    continue;
            }
            for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
            {
                foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    if (field.GetValue(value) is { } child)
                        pending.Push((child, $"{path}.{field.Name}"));
                }
            }
        }
        return found;
    }
}
