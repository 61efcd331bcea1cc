using Spectre.Console;
using TinyGpt.Pipeline;

namespace TinyGpt.Cli;

/// <summary>The pipeline's log on a Spectre.Console console: progress bars with elapsed and remaining time, tables.</summary>
/// <param name="console">The console (the real terminal, or a writer in tests).</param>
public sealed class SpectreLog(IAnsiConsole console) : IPipelineLog
{
    /// <inheritdoc />
    public void Line(string text) => console.WriteLine(text);

    /// <inheritdoc />
    public void Table(string title, IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var table = new Table { Title = new TableTitle(Markup.Escape(title)) };
        foreach (var column in header)
            table.AddColumn(Markup.Escape(column));
        foreach (var row in rows)
            table.AddRow([.. row.Select(Markup.Escape)]);
        console.Write(table);
    }

    /// <inheritdoc />
    public T Progress<T>(string description, int total, Func<Action<int, string?>, T> work)
    {
        T result = default!;
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(Markup.Escape(description), maxValue: Math.Max(1, total));
                result = work((done, status) =>
                {
                    task.Value = Math.Min(done, task.MaxValue);
                    if (status is not null)
                        task.Description = Markup.Escape($"{description}: {status}");
                });
                task.Value = task.MaxValue;
                task.Description = Markup.Escape(description);
            });
        return result;
    }
}
