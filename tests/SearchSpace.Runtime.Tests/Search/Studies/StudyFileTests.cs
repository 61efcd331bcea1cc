using Microsoft.Data.Sqlite;
using SearchSpaceDsl.Search;
using SearchSpaceDsl.Search.Optimizers;
using SearchSpaceDsl.TestProblems;
using SearchSpaceDsl.Tests.Native;

namespace SearchSpaceDsl.Tests.Search.Studies;

/// <summary>Files that are not studies, or damaged ones: a clear error, and the file left exactly as it was.</summary>
public sealed class StudyFileTests
{
    private static Objective<Zdt1>[] Objectives() =>
        [Objective<Zdt1>.Minimize("f1", a => Zdt1.Evaluate(a)[0]), Objective<Zdt1>.Minimize("f2", a => Zdt1.Evaluate(a)[1])];

    [Fact]
    public void A_file_that_is_not_SQLite_is_refused_untouched()
    {
        using var scratch = new ScratchDirectory();
        var path = Path.Combine(scratch.Path, "notes.db");
        File.WriteAllText(path, "These are my notes, not a database.");
        var error = Assert.Throws<StudyException>(() => Study<Zdt1>.Open(path, Objectives()));
        Assert.Contains("is not a SQLite database (it starts with \"These are my not\"); a study file was expected. The file was left untouched.", error.Message);
        Assert.Equal("These are my notes, not a database.", File.ReadAllText(path));
    }

    [Fact]
    public void A_database_of_another_application_is_refused_untouched()
    {
        using var scratch = new ScratchDirectory();
        var path = Path.Combine(scratch.Path, "shop.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE customers (name TEXT); INSERT INTO customers VALUES ('Ishmael');";
            command.ExecuteNonQuery();
        }
        var before = File.ReadAllBytes(path);
        var error = Assert.Throws<StudyException>(() => Study<Zdt1>.Open(path, Objectives()));
        Assert.Contains("is a SQLite database of another application (application_id 0x00000000, tables: customers), not a study", error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_corrupt_study_is_refused_untouched()
    {
        using var scratch = new ScratchDirectory();
        var path = Path.Combine(scratch.Path, "study.db");
        using (var study = Study<Zdt1>.Open(path, Objectives()))
            study.Optimize(new RandomSearch<Zdt1>(Zdt1.Space), trials: 200);
        // Keep the schema page, overwrite every page after it with garbage.
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 8192, $"The study file has {bytes.Length} bytes.");
        new Random(1).NextBytes(bytes.AsSpan(4096));
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<StudyException>(() => Study<Zdt1>.Open(path, Objectives()));
        Assert.Contains(path, error.Message);
        Assert.Matches("corrupt|cannot be read|damaged", error.Message);
        Assert.Equal(bytes, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_study_open_in_one_run_is_refused_to_a_second_until_it_is_closed()
    {
        using var scratch = new ScratchDirectory();
        var path = Path.Combine(scratch.Path, "study.db");
        using (var first = Study<Zdt1>.Open(path, Objectives()))
        {
            first.Optimize(new RandomSearch<Zdt1>(Zdt1.Space), trials: 3);
            var error = Assert.Throws<StudyException>(() => Study<Zdt1>.Open(path, Objectives()));
            Assert.Contains("is in use by another run", error.Message);
            first.Optimize(new RandomSearch<Zdt1>(Zdt1.Space), trials: 5);
        }
        using var second = Study<Zdt1>.Open(path, Objectives());
        Assert.Equal(5, second.Trials.Count);
    }

    [Fact]
    public void An_empty_file_becomes_a_new_study()
    {
        using var scratch = new ScratchDirectory();
        var path = Path.Combine(scratch.Path, "empty.db");
        File.WriteAllBytes(path, []);
        using var study = Study<Zdt1>.Open(path, Objectives());
        study.Optimize(new RandomSearch<Zdt1>(Zdt1.Space), trials: 2);
        Assert.Equal(2, study.Trials.Count);
    }

    [Fact]
    public void A_study_file_marks_itself_with_its_application_id()
    {
        using var scratch = new ScratchDirectory();
        var path = Path.Combine(scratch.Path, "study.db");
        Study<Zdt1>.Open(path, Objectives()).Dispose();
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA application_id";
        Assert.Equal((long)SqliteTrialStore.ApplicationId, (long)command.ExecuteScalar()!);
    }
}
