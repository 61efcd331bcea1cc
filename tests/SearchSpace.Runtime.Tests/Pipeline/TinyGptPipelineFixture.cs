using TinyGpt.Pipeline;

namespace SearchSpaceDsl.Tests.Pipeline;

/// <summary>The whole compression pipeline of the sample, run once with a tiny budget into a temporary run folder.</summary>
public sealed class TinyGptPipelineFixture : IDisposable
{
    public TinyGptPipelineFixture()
    {
        Folder = Path.Combine(Path.GetTempPath(), "tinygpt-pipeline-" + Guid.NewGuid().ToString("N"));
        Options = Tiny(Folder);
        Summary = CompressionPipeline.Run(Options, PlainLog.Silent);
        Run = new RunFolder(Folder);
    }

    /// <summary>Settings small enough for a test: a few steps, a few trials, one short validation batch, one timed forward.</summary>
    public static PipelineOptions Tiny(string folder) => new()
    {
        Output = folder,
        DataPath = Path.Combine(AppContext.BaseDirectory, "data", "moby-dick.txt"),
        DenseSteps = 20,
        FineTuneSteps = 4,
        SandwichRandom = 1,
        BatchSize = 4,
        Context = 32,
        ValidationBatches = 2,
        Trials = 10,
        Population = 4,
        LatencyBatch = 1,
        LatencyWarmup = 1,
        LatencyRepeats = 2,
        Seed = 3,
    };

    public string Folder { get; }

    public PipelineOptions Options { get; }

    public ReportSummary Summary { get; }

    public RunFolder Run { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }
}
