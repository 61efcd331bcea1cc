namespace TinyGpt.Pipeline;

/// <summary>One architecture of the report with its measurements.</summary>
/// <param name="Trial">The study trial's number (null for models outside the study).</param>
/// <param name="Architecture">The architecture's text.</param>
/// <param name="Parameters">Parameter count.</param>
/// <param name="Perplexity">Validation perplexity.</param>
/// <param name="LatencyMs">Median latency of the latency batch in ms.</param>
public sealed record ReportPoint(int? Trial, string Architecture, long Parameters, double Perplexity, double LatencyMs);

/// <summary>A NAS front point against the pruned model of (about) its size.</summary>
/// <param name="Nas">The NAS point.</param>
/// <param name="Pruned">The pruned model.</param>
/// <param name="NasBetter">Whether NAS has the lower perplexity.</param>
public sealed record Comparison(ReportPoint Nas, PrunedPoint Pruned, bool NasBetter);

/// <summary>The best point within the perplexity tolerance, against the pretrained dense model (re-measured side by side).</summary>
/// <param name="Point">The point.</param>
/// <param name="ParameterReduction">Dense parameters / the point's.</param>
/// <param name="Speedup">Dense latency / the point's.</param>
/// <param name="PerplexityIncreasePercent">How much higher the perplexity is, in percent (negative: lower).</param>
/// <param name="Text">The headline line.</param>
public sealed record Headline(ReportPoint Point, double ParameterReduction, double Speedup, double PerplexityIncreasePercent, string Text);

/// <summary>Everything the report states, written to <c>report.json</c>.</summary>
/// <param name="Dense">The pretrained dense model.</param>
/// <param name="Supernet">Perplexities of the supernet's extremes (null when its file is missing).</param>
/// <param name="Trials">Completed trials.</param>
/// <param name="Front">The Pareto front (perplexity, parameters, latency), by parameters.</param>
/// <param name="Hypervolume">The front's hypervolume against <paramref name="Reference"/>.</param>
/// <param name="Reference">The reference point: 1.1 × the worst value of each objective among completed trials.</param>
/// <param name="Comparisons">NAS against pruning at equal sizes.</param>
/// <param name="NasWins">Comparisons NAS wins.</param>
/// <param name="Headline">The best point within the tolerance, or null when none is.</param>
/// <param name="HeadlineText">The headline line (or why there is none).</param>
/// <param name="Models">Paths of the extracted models.</param>
public sealed record ReportSummary(
    ReportPoint Dense,
    SupernetResult? Supernet,
    int Trials,
    IReadOnlyList<ReportPoint> Front,
    double Hypervolume,
    IReadOnlyList<double> Reference,
    IReadOnlyList<Comparison> Comparisons,
    int NasWins,
    Headline? Headline,
    string HeadlineText,
    IReadOnlyList<string> Models);
