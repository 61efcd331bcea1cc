using System.Diagnostics;
using System.Globalization;
using SearchSpaceDsl.Search;
using SearchSpaceDsl.Search.Optimizers;
using SearchSpaceDsl.TestProblems;

namespace SearchSpaceDsl.Bench;

/// <summary>
/// The cost of search itself, per trial, on a free objective (ZDT1, nanoseconds to evaluate): each optimizer's bare
/// ask/tell loop, the same inside a study kept in memory, and inside a study in a SQLite file. The three are measured
/// side by side in one run, each the median of five repetitions after a warm-up, so their ratios are comparable.
/// </summary>
/// <remarks>Run with <c>dotnet run -c Release --project bench/SearchSpace.Bench -- --search-overhead</c>.</remarks>
public static class SearchOverhead
{
    private const int Repetitions = 5;

    private static readonly (string Name, int Trials, Func<int, IOptimizer<Zdt1>> Create)[] Optimizers =
    [
        ("random search", 20_000, seed => new RandomSearch<Zdt1>(Zdt1.Space, seed)),
        ("local search", 20_000, seed => new LocalSearch<Zdt1>(Zdt1.Space, seed)),
        ("regularized evolution", 20_000, seed => new RegularizedEvolution<Zdt1>(Zdt1.Space, seed, weights: [1, 1])),
        ("MO-REA", 20_000, seed => new MoRegularizedEvolution<Zdt1>(Zdt1.Space, seed)),
        ("NSGA-II", 20_000, seed => new Nsga2<Zdt1>(Zdt1.Space, seed)),
        ("LINAS", 500, seed => new Linas<Zdt1>(Zdt1.Space, seed)),
        ("ParEGO", 60, seed => new ParEgo<Zdt1>(Zdt1.Space, seed)),
    ];

    public static void Run()
    {
        Console.WriteLine("| optimizer | trials per run | ask/tell: µs per trial (trials/s) | study in memory: µs per trial | study in SQLite: µs per trial |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        var folder = Path.Combine(Path.GetTempPath(), "SearchSpaceDsl.Bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            foreach (var (name, trials, create) in Optimizers)
            {
                var sqliteTrials = Math.Min(trials, 2_000);
                var bare = Median(seed => AskTell(create(seed), trials)) / trials;
                var memory = Median(seed => InStudy(Study<Zdt1>.InMemory(Objectives()), create(seed), trials)) / trials;
                var sqlite = Median(seed => InStudy(Study<Zdt1>.Open(Path.Combine(folder, $"{seed}-{Guid.NewGuid():N}.db"), Objectives()), create(seed), sqliteTrials)) / sqliteTrials;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {trials:N0} | {bare * 1e6:F2} ({1 / bare:N0}) | {memory * 1e6:F2} | {sqlite * 1e6:F1} |"));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static Objective<Zdt1>[] Objectives() =>
        [Objective<Zdt1>.Minimize("f1", a => Zdt1.Evaluate(a)[0]), Objective<Zdt1>.Minimize("f2", a => Zdt1.Evaluate(a)[1])];

    private static double AskTell(IOptimizer<Zdt1> optimizer, int trials)
    {
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < trials; i++)
        {
            var a = optimizer.Ask();
            optimizer.Tell(a, Zdt1.Evaluate(a));
        }
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private static double InStudy(Study<Zdt1> study, IOptimizer<Zdt1> optimizer, int trials)
    {
        using (study)
        {
            var start = Stopwatch.GetTimestamp();
            study.Optimize(optimizer, trials);
            return Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
    }

    // Seed 0 warms up; seeds 1..5 are measured. Each repetition uses a fresh optimizer (and study).
    private static double Median(Func<int, double> seconds)
    {
        seconds(0);
        var times = Enumerable.Range(1, Repetitions).Select(seconds).Order().ToArray();
        return times[Repetitions / 2];
    }
}
