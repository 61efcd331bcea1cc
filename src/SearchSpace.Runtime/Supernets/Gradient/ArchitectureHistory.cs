using System.Collections.Immutable;
using System.Globalization;
using CsvHelper;

namespace SearchSpaceDsl.Supernets.Gradient;

/// <summary>
/// The architecture weights over a search: one <see cref="ArchitectureRecord"/> per step, one column per option
/// (named as in the one-hot encoding, e.g. <c>Width[1]=4</c>). Written as CSV for plotting.
/// </summary>
public sealed class ArchitectureHistory
{
    private readonly List<ArchitectureRecord> _records = [];

    /// <summary>An empty history of a space's options.</summary>
    public ArchitectureHistory(SearchSpaceDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        Columns = description.FeatureNames(EncodingKind.OneHot);
    }

    /// <summary>The option columns, in one-hot encoding order.</summary>
    public ImmutableArray<string> Columns { get; }

    /// <summary>The records, by step.</summary>
    public IReadOnlyList<ArchitectureRecord> Records => _records;

    /// <summary>Appends a record.</summary>
    /// <exception cref="ArgumentException">Its probabilities do not have one entry per column.</exception>
    public void Add(ArchitectureRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Probabilities.Length != Columns.Length)
            throw new ArgumentException($"A record needs {Columns.Length} probabilities (one per option), got {record.Probabilities.Length}.", nameof(record));
        _records.Add(record);
    }

    /// <summary>
    /// Writes the history as CSV: <c>step, temperature, train_loss, valid_loss, cost</c>, then one column per option;
    /// numbers in the invariant culture, NaN as an empty field.
    /// </summary>
    public void WriteCsv(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var writer = new StreamWriter(path);
        WriteCsv(writer);
    }

    /// <summary>Writes the history as CSV to <paramref name="writer"/> (see <see cref="WriteCsv(string)"/>).</summary>
    public void WriteCsv(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        using var csv = CsvWriter.Create(writer, null, leaveOpen: true);
        foreach (string name in (string[])["step", "temperature", "train_loss", "valid_loss", "cost"])
            csv.WriteField(name);
        foreach (string column in Columns)
            csv.WriteField(column);
        csv.EndRecord();
        foreach (var r in _records)
        {
            csv.WriteField(r.Step.ToString(CultureInfo.InvariantCulture));
            foreach (double v in (double[])[r.Temperature, r.TrainLoss, r.ValidLoss, r.Cost])
                csv.WriteField(Number(v));
            foreach (double p in r.Probabilities)
                csv.WriteField(Number(p));
            csv.EndRecord();
        }
    }

    private static string Number(double value) => double.IsNaN(value) ? "" : value.ToString("R", CultureInfo.InvariantCulture);
}
