using System.Globalization;
using System.Text.Json;
using CsvHelper;
using SearchSpaceDsl.Search;
using SearchSpaceDsl.Search.Optimizers;
using SearchSpaceDsl.TestProblems;
using SearchSpaceDsl.Tests.Native;

namespace SearchSpaceDsl.Tests.Search.Studies;

public sealed class StudyExportTests
{
    private static Study<Zdt1> RunStudy()
    {
        var study = Study<Zdt1>.InMemory(
            new Objective<Zdt1>("f1", ObjectiveDirection.Minimize, a => new Measurement(Zdt1.Evaluate(a)[0], new Dictionary<string, double> { ["f1_spread"] = a.X2 })),
            Objective<Zdt1>.Maximize("negative_f2", a => a.X1 == 7 ? throw new InvalidOperationException("no, \"seven\"") : -Zdt1.Evaluate(a)[1]));
        study.Optimize(new RandomSearch<Zdt1>(Zdt1.Space, seed: 2), trials: 60);
        return study;
    }

    [Fact]
    public void Json_export_holds_every_trial_by_objective_name_with_the_front_marked()
    {
        using var scratch = new ScratchDirectory();
        using var study = RunStudy();
        var path = Path.Combine(scratch.Path, "out", "trials.json");
        study.ExportJson(path);

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        Assert.Equal("Zdt1", root.GetProperty("space").GetString());
        Assert.Equal(["f1", "negative_f2"], root.GetProperty("objectives").EnumerateArray().Select(o => o.GetProperty("name").GetString()));
        var trials = root.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(60, trials.Count);
        var front = study.ParetoFront().Select(t => t.Number).ToHashSet();
        foreach (var (json, trial) in trials.Zip(study.Trials))
        {
            Assert.Equal(trial.Number, json.GetProperty("number").GetInt32());
            Assert.Equal(trial.Architecture.ToString(), json.GetProperty("architecture_text").GetString());
            Assert.Equal(trial.Architecture, JsonSerializer.Deserialize<Zdt1>(json.GetProperty("architecture").GetRawText()));
            Assert.Equal(front.Contains(trial.Number), json.GetProperty("pareto_optimal").GetBoolean());
            if (trial.Status == TrialStatus.Completed)
            {
                Assert.Equal(trial.Values![1], json.GetProperty("values").GetProperty("negative_f2").GetDouble());
                Assert.Equal(trial.Architecture.X2, json.GetProperty("details").GetProperty("f1_spread").GetDouble());
            }
            else
            {
                Assert.Equal("Failed", json.GetProperty("status").GetString());
                Assert.Contains("no, \"seven\"", json.GetProperty("error").GetString());
            }
        }
    }

    [Fact]
    public void Csv_export_has_a_column_per_objective_and_detail_and_reads_back()
    {
        using var scratch = new ScratchDirectory();
        using var study = RunStudy();
        var path = Path.Combine(scratch.Path, "trials.csv");
        study.ExportCsv(path);

        var text = File.ReadAllText(path);
        Assert.StartsWith("number,status,architecture,f1,negative_f2,f1_spread,error,started_utc,finished_utc,duration_s,pareto_optimal\r\n", text);
        using var reader = CsvReader.FromText(text, null);
        var front = study.ParetoFront().Select(t => t.Number).ToHashSet();
        var rows = 0;
        foreach (var trial in study.Trials)
        {
            Assert.True(reader.Read());
            rows++;
            Assert.Equal(trial.Number.ToString(CultureInfo.InvariantCulture), reader.GetString("number"));
            Assert.Equal(trial.Architecture.ToString(), reader.GetString("architecture"));
            Assert.Equal(trial.Architecture.X2.ToString(CultureInfo.InvariantCulture), reader.GetString("f1_spread"));
            Assert.Equal(front.Contains(trial.Number) ? "true" : "false", reader.GetString("pareto_optimal"));
            if (trial.Status == TrialStatus.Completed)
            {
                Assert.Equal(trial.Values![0], double.Parse(reader.GetString("f1"), CultureInfo.InvariantCulture));
                Assert.Equal(trial.Values![1], double.Parse(reader.GetString("negative_f2"), CultureInfo.InvariantCulture)); // negative, written as a number
            }
            else
            {
                Assert.Equal("", reader.GetString("f1"));
                Assert.Equal("Objective 'negative_f2' threw InvalidOperationException: no, \"seven\"", reader.GetString("error"));
            }
        }
        Assert.False(reader.Read());
        Assert.Equal(60, rows);
    }
}
