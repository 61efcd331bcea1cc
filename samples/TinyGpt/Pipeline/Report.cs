using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SearchSpaceDsl.Search;

namespace TinyGpt.Pipeline;

/// <summary>
/// Step e: the front as a table, its hypervolume, NAS against the pruning baseline at equal sizes, the plot, JSON/CSV
/// of every trial, extracted models of chosen points and the headline line. Runs the pruning baseline (step d) first.
/// </summary>
public static class Report
{
    /// <summary>Writes every report artefact of a run with a finished search and returns what it states.</summary>
    public static ReportSummary Run(PipelineOptions options, Evaluation evaluation, RunFolder run, IPipelineLog log)
    {
        var watch = Stopwatch.StartNew();
        run.Create();
        var denseCard = ModelCard.Load(run.DenseModel);
        List<Trial<TinyGptArchitecture>> completed;
        List<Trial<TinyGptArchitecture>> frontTrials;
        double hypervolume;
        double[] reference;
        using (var study = ArchitectureSearch.OpenForReading(run))
        {
            completed = [.. study.CompletedTrials];
            if (completed.Count == 0)
                throw new PipelineException($"the study '{run.Study}' has no completed trial; run 'search' first.");
            frontTrials = [.. study.ParetoFront().OrderBy(t => t.Values![1])];
            reference = [.. Enumerable.Range(0, 3).Select(i => 1.1 * completed.Max(t => t.Values![i]))];
            hypervolume = study.Hypervolume(reference);
            study.ExportJson(run.TrialsJson);
            study.ExportCsv(run.TrialsCsv);
        }
        var front = frontTrials.Select(t => new ReportPoint(t.Number, t.Architecture.ToString(), (long)t.Values![1], t.Values[0], t.Values[2])).ToList();
        var supernetResult = File.Exists(SupernetResult.PathIn(run))
            ? JsonSerializer.Deserialize<SupernetResult>(File.ReadAllText(SupernetResult.PathIn(run)))
            : null;

        var pruned = PruningBaseline.Run(options, evaluation, run, [.. front.Select(p => p.Parameters)], log);
        var comparisons = front
            .Select(p => (Nas: p, Pruned: pruned.MinBy(q => Math.Abs(q.Parameters - p.Parameters))!))
            .Where(c => c.Pruned is not null && Math.Abs(c.Pruned.Parameters - c.Nas.Parameters) <= 0.1 * c.Nas.Parameters)
            .GroupBy(c => c.Pruned.TargetParameters == c.Nas.Parameters ? c.Nas.Parameters : -c.Nas.Parameters)
            .Select(g => g.MinBy(c => c.Nas.Perplexity))
            .Select(c => new Comparison(c.Nas, c.Pruned, c.Nas.Perplexity < c.Pruned.Perplexity))
            .ToList();

        // Latencies drift with the machine's load: the headline's dense and compressed models are timed side by side now.
        using var supernet = SupernetFineTuning.Load(run);
        var (denseModel, _) = ModelFiles.Load(run.DenseModel);
        var largest = TinyGptArchitecture.Space.Largest;
        double denseLatency;
        using (denseModel)
            denseLatency = evaluation.LatencyMs(denseModel, largest);
        var dense = new ReportPoint(null, denseCard.Architecture, denseCard.Parameters, denseCard.Perplexity ?? double.NaN, denseLatency);

        var limit = dense.Perplexity * (1 + options.PerplexityTolerance);
        var best = front.Where(p => p.Perplexity <= limit).OrderBy(p => p.Parameters).ThenBy(p => p.LatencyMs).FirstOrDefault();
        Headline? headline = null;
        string headlineText;
        if (best is not null)
        {
            var bestArchitecture = TinyGptArchitecture.Parse(best.Architecture);
            var latency = evaluation.LatencyMs(supernet, bestArchitecture);
            best = best with { LatencyMs = latency };
            var increase = 100 * (best.Perplexity / dense.Perplexity - 1);
            var text = string.Create(CultureInfo.InvariantCulture,
                $"{(double)dense.Parameters / best.Parameters:F2}× fewer parameters, {denseLatency / latency:F2}× faster, {Math.Abs(increase):F1}% {(increase >= 0 ? "higher" : "lower")} perplexity ({best.Perplexity:F3} vs {dense.Perplexity:F3}; {best.Architecture})");
            headline = new Headline(best, (double)dense.Parameters / best.Parameters, denseLatency / latency, increase, text);
            headlineText = text;
        }
        else
        {
            headlineText = string.Create(CultureInfo.InvariantCulture,
                $"No point of the front is within {100 * options.PerplexityTolerance:F0}% of the pretrained model's perplexity {dense.Perplexity:F3} (best: {front.Min(p => p.Perplexity):F3}).");
        }

        var models = SaveModels(run, supernet, evaluation, front, best);
        var summary = new ReportSummary(dense, supernetResult, completed.Count, front, hypervolume, reference, comparisons,
            comparisons.Count(c => c.NasBetter), headline, headlineText, models);

        ParetoPlot.Save(run.Plot, "TinyGpt on Moby Dick",
        [
            new PlotSeries("all trials", [.. completed.Select(t => t.Values![1])], [.. completed.Select(t => t.Values![2])], [.. completed.Select(t => t.Values![0])], false),
            new PlotSeries("NAS front", [.. front.Select(p => (double)p.Parameters)], [.. front.Select(p => p.LatencyMs)], [.. front.Select(p => p.Perplexity)], true),
            new PlotSeries("magnitude pruning", [.. pruned.Select(p => (double)p.Parameters)], [.. pruned.Select(p => p.LatencyMs)], [.. pruned.Select(p => p.Perplexity)], true),
            new PlotSeries("pretrained dense", [dense.Parameters], [dense.LatencyMs], [dense.Perplexity], false),
        ]);
        File.WriteAllText(run.ReportJson, JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
        File.WriteAllText(run.ReportMarkdown, Markdown(summary, options));
        Print(summary, log);
        log.Line($"Report written ({watch.Elapsed.TotalSeconds:F0} s).");
        return summary;
    }

    private static List<string> SaveModels(RunFolder run, TinyGptModel supernet, Evaluation evaluation, List<ReportPoint> front, ReportPoint? best)
    {
        var chosen = new List<(string Name, ReportPoint Point)>();
        if (best is not null)
            chosen.Add(("best-within-tolerance", best));
        chosen.Add(("smallest", front.MinBy(p => p.Parameters)!));
        chosen.Add(("lowest-perplexity", front.MinBy(p => p.Perplexity)!));
        var paths = new List<string>();
        foreach (var (name, point) in chosen)
        {
            var architecture = TinyGptArchitecture.Parse(point.Architecture);
            using var model = supernet.Extract(architecture);
            var path = run.Model(name);
            ModelFiles.Save(model, path, new ModelCard(name, point.Architecture, point.Parameters, evaluation.Corpus.Vocabulary.Characters,
                Math.Log(point.Perplexity), point.Perplexity, point.LatencyMs, $"extracted from the fine-tuned supernet (trial {point.Trial})"));
            paths.Add(path);
        }
        return paths;
    }

    private static string Row(ReportPoint p) =>
        string.Create(CultureInfo.InvariantCulture, $"| {p.Trial} | {p.Parameters:N0} | {p.Perplexity:F3} | {p.LatencyMs:F2} | `{p.Architecture}` |");

    private static string Markdown(ReportSummary s, PipelineOptions options)
    {
        var b = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        b.AppendLine("# TinyGpt compression report").AppendLine();
        b.AppendLine(inv, $"Pretrained dense model: {s.Dense.Parameters:N0} parameters, perplexity {s.Dense.Perplexity:F3}, latency {s.Dense.LatencyMs:F2} ms.");
        if (s.Supernet is { } n)
            b.AppendLine(inv, $"Fine-tuned supernet ({n.Steps} sandwich steps): largest member perplexity {n.LargestAfter:F3}, smallest {n.SmallestAfter:F3} (before fine-tuning {n.LargestBefore:F3} and {n.SmallestBefore:F3}).");
        b.AppendLine().AppendLine(inv, $"**Headline** (best front point within {100 * options.PerplexityTolerance:F0}% perplexity): {s.HeadlineText}").AppendLine();
        b.AppendLine(inv, $"## Pareto front ({s.Front.Count} of {s.Trials} trials)").AppendLine();
        b.AppendLine(inv, $"Hypervolume {s.Hypervolume:G6} against the reference point (perplexity {s.Reference[0]:F3}, parameters {s.Reference[1]:F0}, latency {s.Reference[2]:F2} ms) = 1.1 × the worst of each objective among completed trials.").AppendLine();
        b.AppendLine("| trial | parameters | perplexity | latency (ms) | architecture |").AppendLine("|---|---|---|---|---|");
        foreach (var p in s.Front)
            b.AppendLine(Row(p));
        b.AppendLine().AppendLine(inv, $"## NAS against magnitude pruning at equal size (NAS better at {s.NasWins} of {s.Comparisons.Count})").AppendLine();
        b.AppendLine("| NAS params | NAS ppl | pruned params | pruned ppl | pruned latency (ms) | pruned architecture |").AppendLine("|---|---|---|---|---|---|");
        foreach (var c in s.Comparisons)
            b.AppendLine(inv, $"| {c.Nas.Parameters:N0} | {c.Nas.Perplexity:F3} | {c.Pruned.Parameters:N0} | {c.Pruned.Perplexity:F3} | {c.Pruned.LatencyMs:F2} | `{c.Pruned.Architecture}` |");
        b.AppendLine().AppendLine("Pruning removes the lowest-magnitude heads, neurons, channels and blocks of the dense model without retraining; NAS points come from the fine-tuned supernet.").AppendLine();
        b.AppendLine("## Artefacts").AppendLine();
        b.AppendLine("`pareto.png`, `trials.json`, `trials.csv`, `study.db`, `pruning.json`, `report.json`, `dense.safetensors`, `supernet.safetensors`, and the extracted models:").AppendLine();
        foreach (var m in s.Models)
            b.AppendLine(inv, $"- `models/{Path.GetFileName(m)}`");
        return b.ToString();
    }

    private static void Print(ReportSummary s, IPipelineLog log)
    {
        var inv = CultureInfo.InvariantCulture;
        log.Table($"Pareto front: {s.Front.Count} of {s.Trials} trials, hypervolume {s.Hypervolume.ToString("G6", inv)}",
            ["trial", "parameters", "perplexity", "latency ms", "architecture"],
            [.. s.Front.Select(p => (IReadOnlyList<string>)[p.Trial?.ToString(inv) ?? "", p.Parameters.ToString("N0", inv), p.Perplexity.ToString("F3", inv), p.LatencyMs.ToString("F2", inv), p.Architecture])]);
        log.Table($"NAS vs magnitude pruning at equal size: NAS better at {s.NasWins} of {s.Comparisons.Count}",
            ["NAS params", "NAS ppl", "pruned params", "pruned ppl"],
            [.. s.Comparisons.Select(c => (IReadOnlyList<string>)[c.Nas.Parameters.ToString("N0", inv), c.Nas.Perplexity.ToString("F3", inv), c.Pruned.Parameters.ToString("N0", inv), c.Pruned.Perplexity.ToString("F3", inv)])]);
        log.Line(string.Create(inv, $"Pretrained model: perplexity {s.Dense.Perplexity:F3}, {s.Dense.Parameters:N0} parameters, {s.Dense.LatencyMs:F2} ms."));
        if (s.Supernet is { } n)
            log.Line(string.Create(inv, $"Fine-tuned supernet: largest member perplexity {n.LargestAfter:F3}, smallest member perplexity {n.SmallestAfter:F3}."));
        log.Line(s.HeadlineText);
    }
}
