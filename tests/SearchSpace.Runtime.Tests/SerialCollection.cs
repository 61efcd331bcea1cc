namespace SearchSpaceDsl.Tests;

/// <summary>
/// Tests that measure or race against the whole process (peak memory, a child process killed mid-run) run in this
/// collection, after the parallel tests and one at a time.
/// </summary>
[CollectionDefinition(nameof(SerialCollection), DisableParallelization = true)]
public sealed class SerialCollection
{
}
