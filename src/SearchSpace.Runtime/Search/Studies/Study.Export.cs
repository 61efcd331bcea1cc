using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using CsvHelper;

namespace SearchSpaceDsl.Search;

public sealed partial class Study<TArch>
{
    private static readonly JsonSerializerOptions ExportJsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>
    /// Writes every trial as JSON: the objectives, then per trial its number, status, architecture (structured and as
    /// text), values by objective name, details, error, timings and whether it is on the Pareto front. The file is
    /// replaced atomically.
    /// </summary>
    public void ExportJson(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var trials = Trials;
        var front = ParetoFront().Select(t => t.Number).ToHashSet();
        var document = new ExportDocument<TArch>(
            TArch.Space.Description.Name,
            [.. Objectives.Select(o => new ObjectiveInfo(o.Name, o.Direction))],
            [.. trials.Select(t => new ExportTrial<TArch>(
                t.Number,
                t.Status,
                t.Architecture,
                t.Architecture.ToString()!,
                t.Values is null ? null : Objectives.Select((o, i) => (o.Name, t.Values[i])).ToDictionary(p => p.Name, p => p.Item2),
                t.Details,
                t.Error,
                t.StartedUtc,
                t.FinishedUtc,
                t.Duration?.TotalSeconds,
                front.Contains(t.Number)))]);
        WriteAtomically(path, stream => JsonSerializer.Serialize(stream, document, ExportJsonOptions));
    }

    /// <summary>
    /// Writes every trial as CSV (CsvHelper): number, status, architecture text, one column per objective, one per
    /// detail, error, timings and <c>pareto_optimal</c>. Invariant culture; the file is replaced atomically.
    /// </summary>
    public void ExportCsv(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var trials = Trials;
        var front = ParetoFront().Select(t => t.Number).ToHashSet();
        var detailNames = trials.SelectMany(t => t.Details.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        WriteAtomically(path, stream =>
        {
            using var csv = CsvWriter.Create(stream, CsvWriterOptions.Default, leaveOpen: true);
            foreach (var header in new[] { "number", "status", "architecture" }
                         .Concat(Objectives.Select(o => o.Name))
                         .Concat(detailNames)
                         .Concat(["error", "started_utc", "finished_utc", "duration_s", "pareto_optimal"]))
                csv.WriteField(header);
            csv.EndRecord();
            foreach (var t in trials)
            {
                csv.WriteField(t.Number, "D");
                csv.WriteField(t.Status.ToString());
                csv.WriteField(t.Architecture.ToString());
                for (var i = 0; i < Objectives.Count; i++)
                    WriteNumber(csv, t.Values?[i]);
                foreach (var name in detailNames)
                    WriteNumber(csv, t.Details.TryGetValue(name, out var d) ? d : null);
                csv.WriteField(t.Error ?? "");
                csv.WriteField(t.StartedUtc.ToString("O", CultureInfo.InvariantCulture));
                csv.WriteField(t.FinishedUtc?.ToString("O", CultureInfo.InvariantCulture) ?? "");
                WriteNumber(csv, t.Duration?.TotalSeconds);
                csv.WriteField(front.Contains(t.Number) ? "true" : "false");
                csv.EndRecord();
            }
        });
    }

    // Numbers are written as numbers (round-trip format), so the formula-injection guard never prefixes a negative value.
    private static void WriteNumber(CsvWriter csv, double? value)
    {
        if (value is { } v)
            csv.WriteField(v, "R");
        else
            csv.WriteField("");
    }

    // A reader never sees a half-written export, and a failed export leaves the previous file in place.
    private static void WriteAtomically(string path, Action<Stream> write)
    {
        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var temporary = fullPath + ".tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
                write(stream);
            File.Move(temporary, fullPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}

internal sealed record ExportDocument<TArch>(string Space, IReadOnlyList<ObjectiveInfo> Objectives, IReadOnlyList<ExportTrial<TArch>> Trials);

internal sealed record ExportTrial<TArch>(
    int Number,
    TrialStatus Status,
    TArch Architecture,
    string ArchitectureText,
    IReadOnlyDictionary<string, double>? Values,
    IReadOnlyDictionary<string, double> Details,
    string? Error,
    DateTimeOffset StartedUtc,
    DateTimeOffset? FinishedUtc,
    double? DurationSeconds,
    bool ParetoOptimal);
