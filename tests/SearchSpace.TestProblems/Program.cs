using SearchSpaceDsl.Search;
using SearchSpaceDsl.Search.Optimizers;
using SearchSpaceDsl.TestProblems;

// Runs NSGA-II on ZDT1 in a study file, so a test can kill this process for real and start it again:
//   SearchSpace.TestProblems <study.db> <seed> <trials> <workers> <sleep-ms>
// Each evaluation sleeps 1 to 3 times sleep-ms (by architecture), so parallel evaluations finish out of order.
// Prints "told <number>" as each trial is told, then one summary line.
if (args.Length != 5)
{
    Console.Error.WriteLine("usage: SearchSpace.TestProblems <study.db> <seed> <trials> <workers> <sleep-ms>");
    return 2;
}
var (path, seed, trials, workers, sleepMs) = (args[0], int.Parse(args[1]), int.Parse(args[2]), int.Parse(args[3]), int.Parse(args[4]));

using var study = StudyProcess.Open(path, sleepMs);
var summary = study.Optimize(
    new Nsga2<Zdt1>(Zdt1.Space, seed, populationSize: 8),
    trials,
    workers,
    new SynchronousProgress<Trial<Zdt1>>(t => Console.Out.WriteLine($"told {t.Number}")));
Console.Out.WriteLine($"evaluated={summary.Evaluated} replayed={summary.Replayed} stop={summary.StopReason}");
return 0;
