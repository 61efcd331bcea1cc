using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace SearchSpaceDsl.Search;

/// <summary>
/// A study in one SQLite file (Microsoft.Data.Sqlite): every finished trial is committed on its own, in WAL mode, so a
/// process killed at any point loses at most the evaluations still running. The store holds the file's lock while it
/// is open: a second store on the same file is refused with a <see cref="StudyException"/>.
/// </summary>
/// <remarks>
/// The file is marked with SQLite's <c>application_id</c>. Opening refuses, with a <see cref="StudyException"/> and
/// without writing anything, a file that is not SQLite, a SQLite database of another application, a corrupt one, or one
/// written by a newer format version.
/// </remarks>
public sealed class SqliteTrialStore : ITrialStore
{
    /// <summary>The <c>application_id</c> of study files: "SSDS".</summary>
    public const int ApplicationId = 0x53534453;

    private static readonly byte[] SqliteMagic = "SQLite format 3\0"u8.ToArray();
    private readonly SqliteConnection _connection;

    private SqliteTrialStore(string path, SqliteConnection connection)
    {
        Location = path;
        _connection = connection;
    }

    /// <inheritdoc />
    public string Location { get; }

    /// <summary>Opens the study file at <paramref name="path"/>, creating it (and its folder) when it does not exist.</summary>
    /// <exception cref="StudyException">The file is not a study this version can read (see the class remarks).</exception>
    public static SqliteTrialStore Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        CheckSqliteHeader(fullPath);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false, // The file is closed when the store is disposed.
            DefaultTimeout = 2, // seconds to wait for a lock before reporting the file as in use
        }.ToString());
        try
        {
            connection.Open();
            Prepare(connection, fullPath);
            return new SqliteTrialStore(fullPath, connection);
        }
        catch (Exception e)
        {
            connection.Dispose();
            if (e is SqliteException { SqliteErrorCode: 5 or 6 } busy) // SQLITE_BUSY, SQLITE_LOCKED
                throw new StudyException($"The study '{fullPath}' is in use by another run (another process, or a study still open on it); one run at a time can use a study file.", busy);
            if (e is SqliteException sqlite)
                throw new StudyException($"'{fullPath}' cannot be read as a study: {sqlite.Message}", sqlite);
            throw;
        }
    }

    /// <inheritdoc />
    public StudyHeader? ReadHeader()
    {
        var values = new Dictionary<string, string>();
        using (var command = Command("SELECT key, value FROM study"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
                values[reader.GetString(0)] = reader.GetString(1);
        }
        if (values.Count == 0)
            return null;
        try
        {
            return new StudyHeader(
                int.Parse(values["format"], CultureInfo.InvariantCulture),
                values["space"],
                JsonSerializer.Deserialize<List<ObjectiveInfo>>(values["objectives"]) ?? throw new JsonException("null objectives"),
                DateTimeOffset.Parse(values["created_utc"], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is KeyNotFoundException or FormatException or JsonException)
        {
            throw new StudyException($"The header of the study '{Location}' is damaged: {e.Message}", e);
        }
    }

    /// <inheritdoc />
    public void WriteHeader(StudyHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        using var transaction = _connection.BeginTransaction();
        foreach (var (key, value) in new[]
        {
            ("format", header.FormatVersion.ToString(CultureInfo.InvariantCulture)),
            ("space", header.Space),
            ("objectives", JsonSerializer.Serialize(header.Objectives)),
            ("created_utc", header.CreatedUtc.ToString("O", CultureInfo.InvariantCulture)),
        })
        {
            using var command = Command("INSERT OR REPLACE INTO study (key, value) VALUES ($key, $value)");
            command.Transaction = transaction;
            command.Parameters.AddWithValue("$key", key);
            command.Parameters.AddWithValue("$value", value);
            command.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    /// <inheritdoc />
    public IReadOnlyList<StoredTrial> ReadTrials()
    {
        var trials = new List<StoredTrial>();
        using var command = Command(
            "SELECT number, architecture, status, objective_values, details, error, started_utc, finished_utc, ask_window, optimizer FROM trials ORDER BY number");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var number = reader.GetInt32(0);
            try
            {
                trials.Add(new StoredTrial(
                    number,
                    reader.GetString(1),
                    Enum.Parse<TrialStatus>(reader.GetString(2)),
                    reader.IsDBNull(3) ? null : JsonSerializer.Deserialize<double[]>(reader.GetString(3)),
                    JsonSerializer.Deserialize<Dictionary<string, double>>(reader.GetString(4)) ?? [],
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    DateTimeOffset.Parse(reader.GetString(6), CultureInfo.InvariantCulture),
                    reader.IsDBNull(7) ? null : DateTimeOffset.Parse(reader.GetString(7), CultureInfo.InvariantCulture),
                    reader.GetInt32(8),
                    reader.GetString(9)));
            }
            catch (Exception e) when (e is FormatException or ArgumentException or JsonException or InvalidCastException)
            {
                throw new StudyException($"Trial {number} of the study '{Location}' is damaged: {e.Message}", e);
            }
        }
        return trials;
    }

    /// <inheritdoc />
    public void Save(StoredTrial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        using var command = Command(
            """
            INSERT OR REPLACE INTO trials (number, architecture, status, objective_values, details, error, started_utc, finished_utc, ask_window, optimizer)
            VALUES ($number, $architecture, $status, $values, $details, $error, $started, $finished, $window, $optimizer)
            """);
        command.Parameters.AddWithValue("$number", trial.Number);
        command.Parameters.AddWithValue("$architecture", trial.Architecture);
        command.Parameters.AddWithValue("$status", trial.Status.ToString());
        command.Parameters.AddWithValue("$values", trial.Values is null ? DBNull.Value : JsonSerializer.Serialize(trial.Values));
        command.Parameters.AddWithValue("$details", JsonSerializer.Serialize(trial.Details));
        command.Parameters.AddWithValue("$error", (object?)trial.Error ?? DBNull.Value);
        command.Parameters.AddWithValue("$started", trial.StartedUtc.ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$finished", trial.FinishedUtc is { } f ? f.ToString("O", CultureInfo.InvariantCulture) : DBNull.Value);
        command.Parameters.AddWithValue("$window", trial.Window);
        command.Parameters.AddWithValue("$optimizer", trial.Optimizer);
        command.ExecuteNonQuery();
    }

    /// <inheritdoc />
    public void Delete(int number)
    {
        using var command = Command("DELETE FROM trials WHERE number = $number");
        command.Parameters.AddWithValue("$number", number);
        command.ExecuteNonQuery();
    }

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();

    private SqliteCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    // A non-empty file that does not start with SQLite's magic is never handed to SQLite, which could rewrite it.
    private static void CheckSqliteHeader(string path)
    {
        if (!File.Exists(path))
            return;
        var head = new byte[SqliteMagic.Length];
        int read;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (read == 0)
            return;
        if (read < head.Length || !head.AsSpan().SequenceEqual(SqliteMagic))
        {
            var preview = Encoding.ASCII.GetString(head, 0, read).Replace('\0', '.');
            throw new StudyException($"'{path}' is not a SQLite database (it starts with \"{preview}\"); a study file was expected. The file was left untouched.");
        }
    }

    private static void Prepare(SqliteConnection connection, string path)
    {
        // The first read takes the file's lock and this connection keeps it until it closes, so a second run on the
        // same study (which would interleave trial numbers) is refused instead. The OS releases it when a process dies.
        Execute(connection, "PRAGMA locking_mode = EXCLUSIVE;");
        var integrity = Scalar(connection, "PRAGMA quick_check") as string;
        if (integrity != "ok")
            throw new StudyException($"The study file '{path}' is corrupt (SQLite's quick_check: {integrity}). The file was left untouched.");
        var applicationId = Convert.ToInt32(Scalar(connection, "PRAGMA application_id"), CultureInfo.InvariantCulture);
        var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version"), CultureInfo.InvariantCulture);
        var tables = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
            using var reader = command.ExecuteReader();
            while (reader.Read())
                tables.Add(reader.GetString(0));
        }

        if (applicationId == 0 && tables.Count == 0)
        {
            Execute(connection,
                $"""
                PRAGMA journal_mode = WAL;
                BEGIN;
                CREATE TABLE study (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE trials (
                    number INTEGER PRIMARY KEY,
                    architecture TEXT NOT NULL,
                    status TEXT NOT NULL,
                    objective_values TEXT,
                    details TEXT NOT NULL,
                    error TEXT,
                    started_utc TEXT NOT NULL,
                    finished_utc TEXT,
                    ask_window INTEGER NOT NULL,
                    optimizer TEXT NOT NULL);
                PRAGMA application_id = {ApplicationId};
                PRAGMA user_version = {StudyHeader.CurrentFormatVersion};
                COMMIT;
                """);
        }
        else if (applicationId != ApplicationId)
        {
            throw new StudyException(
                $"'{path}' is a SQLite database of another application (application_id 0x{applicationId:X8}, tables: {(tables.Count == 0 ? "none" : string.Join(", ", tables))}), not a study. The file was left untouched.");
        }
        else if (version > StudyHeader.CurrentFormatVersion)
        {
            throw new StudyException($"The study '{path}' has format version {version}; this version of SearchSpaceDsl reads up to {StudyHeader.CurrentFormatVersion}. The file was left untouched.");
        }
        else if (!tables.Contains("study") || !tables.Contains("trials"))
        {
            throw new StudyException($"The study '{path}' lacks its tables (found: {string.Join(", ", tables)}). The file was left untouched.");
        }
        // WAL with NORMAL sync: each commit survives a killed process (not a power cut), at a fraction of FULL's cost.
        Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;");
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
