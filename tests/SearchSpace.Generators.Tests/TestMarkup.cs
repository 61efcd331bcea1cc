using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace SearchSpaceDsl.Generators.Tests;

/// <summary>A diagnostic a test expects: its ID and the span it must cover.</summary>
internal sealed record ExpectedDiagnostic(string Id, TextSpan Span);

/// <summary>
/// Test sources with markers: <c>{|SSD0007:text|}</c> expects diagnostic SSD0007 exactly on <c>text</c>.
/// Markers may nest. <see cref="Parse"/> strips them and returns the plain source and the expected spans.
/// </summary>
internal static class TestMarkup
{
    public static (string Source, ImmutableArray<ExpectedDiagnostic> Expected) Parse(string markup)
    {
        var source = new StringBuilder(markup.Length);
        var expected = ImmutableArray.CreateBuilder<ExpectedDiagnostic>();
        var open = new Stack<(string Id, int Start)>();
        int i = 0;
        while (i < markup.Length)
        {
            if (At(markup, i, "{|"))
            {
                int colon = markup.IndexOf(':', i + 2);
                if (colon < 0)
                    throw new FormatException($"Marker at {i} has no ':' after its diagnostic ID.");
                open.Push((markup.Substring(i + 2, colon - i - 2), source.Length));
                i = colon + 1;
            }
            else if (At(markup, i, "|}"))
            {
                if (open.Count == 0)
                    throw new FormatException($"Marker end at {i} closes nothing.");
                var (id, start) = open.Pop();
                expected.Add(new ExpectedDiagnostic(id, TextSpan.FromBounds(start, source.Length)));
                i += 2;
            }
            else
            {
                source.Append(markup[i++]);
            }
        }
        if (open.Count > 0)
            throw new FormatException($"Marker {open.Peek().Id} is never closed.");
        return (source.ToString(), expected.ToImmutable());
    }

    private static bool At(string text, int index, string token) =>
        string.CompareOrdinal(text, index, token, 0, token.Length) == 0;
}
