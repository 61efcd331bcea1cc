using System.Diagnostics;
using System.Text.Json;

namespace TinyGpt.Pipeline;

/// <summary>One pruned model of the baseline.</summary>
/// <param name="TargetParameters">The size it was pruned to (a NAS front point's parameter count).</param>
/// <param name="Architecture">The pruned architecture's text.</param>
/// <param name="Parameters">Its parameter count.</param>
/// <param name="Perplexity">Validation perplexity (same batches as the search).</param>
/// <param name="LatencyMs">Median latency of the extracted model (same batch as the search).</param>
public sealed record PrunedPoint(long TargetParameters, string Architecture, long Parameters, double Perplexity, double LatencyMs);

/// <summary>
/// Step d: magnitude-based structural pruning (<see cref="MagnitudePruning"/>) of the pretrained dense model, not the
/// fine-tuned supernet, to the sizes of the NAS front, evaluated exactly as the NAS models are. Writes <c>pruning.json</c>.
/// </summary>
public static class PruningBaseline
{
    /// <summary>The most sizes pruned to (evenly spread over the front's sizes), to bound the step's time.</summary>
    public const int MaxPoints = 30;

    /// <summary>Prunes to each of <paramref name="sizes"/> (distinct, at most <see cref="MaxPoints"/> of them).</summary>
    public static IReadOnlyList<PrunedPoint> Run(PipelineOptions options, Evaluation evaluation, RunFolder run, IReadOnlyList<long> sizes, IPipelineLog log)
    {
        _ = options;
        var watch = Stopwatch.StartNew();
        var targets = Spread(sizes.Distinct().Order().ToArray(), MaxPoints);
        var (dense, _) = ModelFiles.Load(run.DenseModel);
        using var _dense = dense;
        using var pruning = new MagnitudePruning(dense);
        var points = log.Progress($"Pruning the dense model to {targets.Count} sizes (magnitude baseline)", targets.Count, report =>
        {
            var result = new List<PrunedPoint>();
            foreach (var target in targets)
            {
                var architecture = pruning.ArchitectureFor(target);
                using var model = pruning.Build(architecture);
                var perplexity = evaluation.Quality(model, architecture).Perplexity;
                var latency = evaluation.LatencyMs(model, architecture);
                result.Add(new PrunedPoint(target, architecture.ToString(), TinyGptModel.CountParameters(architecture), perplexity, latency));
                report(result.Count, $"{result[^1].Parameters:N0} params, ppl {perplexity:F2}");
            }
            return result;
        });
        File.WriteAllText(run.PruningJson, JsonSerializer.Serialize(points, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
        log.Line($"Pruning baseline: {points.Count} pruned models ({watch.Elapsed.TotalSeconds:F0} s).");
        return points;
    }

    private static IReadOnlyList<long> Spread(long[] sorted, int count)
    {
        if (sorted.Length <= count)
            return sorted;
        return [.. Enumerable.Range(0, count).Select(i => sorted[(int)Math.Round(i * (sorted.Length - 1) / (double)(count - 1))]).Distinct()];
    }
}
