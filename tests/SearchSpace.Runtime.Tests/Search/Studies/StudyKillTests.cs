using System.Diagnostics;
using SearchSpaceDsl.Search;
using SearchSpaceDsl.Search.Optimizers;
using SearchSpaceDsl.TestProblems;
using SearchSpaceDsl.Tests.Native;

namespace SearchSpaceDsl.Tests.Search.Studies;

/// <summary>A study process killed for real (SIGKILL, mid-evaluation) and started again.</summary>
/// <remarks>Runs alone (<see cref="SerialCollection"/>), so other tests do not slow the reading of the child's output until the child has finished.</remarks>
[Collection(nameof(SerialCollection))]
public sealed class StudyKillTests
{
    private const int Seed = 7, Trials = 40, Workers = 3, SleepMs = 30;

    [Fact]
    public void A_killed_study_resumes_to_the_trials_of_an_uninterrupted_run_without_evaluating_finished_trials_again()
    {
        using var scratch = new ScratchDirectory();
        var path = Path.Combine(scratch.Path, "killed.db");

        // Kill the first process once it has told 8 trials (others are then in flight).
        using (var first = Start(path))
        {
            string? line;
            while ((line = first.StandardOutput.ReadLine()) is not null && line != "told 8")
            {
            }
            Assert.Equal("told 8", line);
            first.Kill(entireProcessTree: true);
            first.WaitForExit();
        }

        Dictionary<int, Trial<Zdt1>> finishedBeforeKill;
        using (var study = StudyProcess.Open(path, SleepMs))
        {
            finishedBeforeKill = study.Trials.Where(t => t.Status != TrialStatus.Running).ToDictionary(t => t.Number);
            Assert.InRange(finishedBeforeKill.Count, 9, Trials - 1);
        }

        using (var second = Start(path))
        {
            var output = second.StandardOutput.ReadToEnd();
            Assert.True(second.WaitForExit(120_000), "The resumed study did not finish within two minutes.");
            Assert.Equal(0, second.ExitCode);
            Assert.EndsWith($"evaluated={Trials - finishedBeforeKill.Count} replayed={finishedBeforeKill.Count} stop=BudgetReached", output.TrimEnd());
        }

        using var reference = StudyProcess.Open(Path.Combine(scratch.Path, "uninterrupted.db"), SleepMs);
        reference.Optimize(new Nsga2<Zdt1>(Zdt1.Space, Seed, populationSize: 8), Trials, Workers);

        using var resumed = StudyProcess.Open(path, SleepMs);
        Assert.Equal(reference.Trials.Select(Key), resumed.Trials.Select(Key));
        foreach (var trial in resumed.Trials.Where(t => finishedBeforeKill.ContainsKey(t.Number)))
            Assert.Equal(finishedBeforeKill[trial.Number].FinishedUtc, trial.FinishedUtc); // stored once, never re-run
    }

    private static string Key(Trial<Zdt1> t) => $"{t.Number}|{t.Architecture}|{t.Status}|{string.Join(",", t.Values ?? [])}";

    private static Process Start(string path)
    {
        var program = Path.Combine(AppContext.BaseDirectory, "SearchSpace.TestProblems.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { program, path, $"{Seed}", $"{Trials}", $"{Workers}", $"{SleepMs}" })
            start.ArgumentList.Add(argument);
        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
    }
}

