using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/SearchSpace.Bench -- --filter '*'
// Any BenchmarkDotNet option works after "--", for example --list flat, --filter '*SpaceBenchmarks*', --inProcess.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
