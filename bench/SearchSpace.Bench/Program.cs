using System.Globalization;
using BenchmarkDotNet.Running;
using SearchSpaceDsl.Bench;

// dotnet run -c Release --project bench/SearchSpace.Bench -- --filter '*'
// Any BenchmarkDotNet option works after "--", for example --list flat, --filter '*SpaceBenchmarks*', --inProcess.
// "-- --paired-ratios [pairs]" instead measures the supernet/extracted ratios with the two models interleaved
// (SupernetPairedRatios); it is not a BenchmarkDotNet run. "-- --search-overhead" measures each optimizer's cost per
// trial bare, in a study in memory and in a SQLite study, side by side (SearchOverhead).
if (args.Length > 0 && args[0] == "--search-overhead")
{
    SearchOverhead.Run();
    return;
}
if (args.Length > 0 && args[0] == "--paired-ratios")
{
    SupernetPairedRatios.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
