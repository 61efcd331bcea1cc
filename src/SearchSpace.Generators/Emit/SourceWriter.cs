using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace SearchSpaceDsl.Generators.Emit;

/// <summary>A string builder that tracks indentation and braces.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public SourceWriter Line(string line = "")
    {
        if (line.Length > 0)
            _text.Append(' ', _indent * 4);
        _text.Append(line).Append('\n');
        return this;
    }

    public SourceWriter Open(string header)
    {
        Line(header);
        Line("{");
        _indent++;
        return this;
    }

    public SourceWriter Close(string suffix = "")
    {
        _indent--;
        return Line("}" + suffix);
    }

    /// <summary>Writes items one per line, one level deeper, joined by <paramref name="separator"/> and ended by <paramref name="end"/>.</summary>
    public SourceWriter Items(IEnumerable<string> items, string separator, string end)
    {
        var list = items.ToList();
        _indent++;
        for (int i = 0; i < list.Count; i++)
            Line(i < list.Count - 1 ? list[i] + separator : list[i] + end);
        _indent--;
        return this;
    }

    public override string ToString() => _text.ToString();
}
