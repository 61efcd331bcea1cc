namespace TinyGpt.Pipeline;

/// <summary>The layout of a run folder: one place for every artefact's path, so steps run separately find each other's files.</summary>
/// <param name="Root">The folder.</param>
public sealed record RunFolder(string Root)
{
    /// <summary>The trained dense model ("pretrained model").</summary>
    public string DenseModel => Path.Combine(Root, "dense.safetensors");

    /// <summary>The fine-tuned, importance-sorted supernet.</summary>
    public string Supernet => Path.Combine(Root, "supernet.safetensors");

    /// <summary>The search's SQLite study.</summary>
    public string Study => Path.Combine(Root, "study.db");

    /// <summary>Every trial as JSON.</summary>
    public string TrialsJson => Path.Combine(Root, "trials.json");

    /// <summary>Every trial as CSV.</summary>
    public string TrialsCsv => Path.Combine(Root, "trials.csv");

    /// <summary>The pruning baseline's points.</summary>
    public string PruningJson => Path.Combine(Root, "pruning.json");

    /// <summary>Perplexity against parameters and against latency, NAS and pruning.</summary>
    public string Plot => Path.Combine(Root, "pareto.png");

    /// <summary>The report in markdown.</summary>
    public string ReportMarkdown => Path.Combine(Root, "report.md");

    /// <summary>The report's numbers as JSON.</summary>
    public string ReportJson => Path.Combine(Root, "report.json");

    /// <summary>Extracted models of chosen points.</summary>
    public string Models => Path.Combine(Root, "models");

    /// <summary>The path of an extracted model named <paramref name="name"/>.</summary>
    public string Model(string name) => Path.Combine(Models, name + ".safetensors");

    /// <summary>The full path of the folder.</summary>
    public string FullPath => Path.GetFullPath(Root);

    /// <summary>Creates the folder (and <see cref="Models"/>) when missing.</summary>
    public RunFolder Create()
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Models);
        return this;
    }

    /// <summary>Throws <see cref="PipelineException"/> unless <paramref name="path"/> exists and can be opened for reading.</summary>
    public static void RequireReadable(string path, string? hint = null)
    {
        try
        {
            using var stream = File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var reason = e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : e.Message;
            throw new PipelineException($"cannot read '{path}': {reason}{(hint is null ? "" : $" ({hint})")}", e);
        }
    }
}
