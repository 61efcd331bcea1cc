namespace TinyGpt.Pipeline;

/// <summary>Where the pipeline reports: lines, tables and progress with an ETA (Spectre.Console in the CLI, silence in tests).</summary>
public interface IPipelineLog
{
    /// <summary>Writes one line of plain text.</summary>
    void Line(string text);

    /// <summary>Writes a table with a title, a header and rows of text.</summary>
    void Table(string title, IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows);

    /// <summary>Runs <paramref name="work"/>, which reports its progress (0 … <paramref name="total"/>) and a status text.</summary>
    T Progress<T>(string description, int total, Func<Action<int, string?>, T> work);
}

/// <summary>A log that writes lines and tables to a <see cref="TextWriter"/> and shows no progress bar.</summary>
/// <param name="writer">Where lines go; <see cref="TextWriter.Null"/> for silence.</param>
public sealed class PlainLog(TextWriter writer) : IPipelineLog
{
    /// <summary>A log that writes nothing.</summary>
    public static PlainLog Silent { get; } = new(TextWriter.Null);

    /// <inheritdoc />
    public void Line(string text) => writer.WriteLine(text);

    /// <inheritdoc />
    public void Table(string title, IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        writer.WriteLine(title);
        writer.WriteLine(string.Join(" | ", header));
        foreach (var row in rows)
            writer.WriteLine(string.Join(" | ", row));
    }

    /// <inheritdoc />
    public T Progress<T>(string description, int total, Func<Action<int, string?>, T> work)
    {
        writer.WriteLine(description + " …");
        return work((_, _) => { });
    }
}
