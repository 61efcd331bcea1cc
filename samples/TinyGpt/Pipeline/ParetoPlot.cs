using ScottPlot;

namespace TinyGpt.Pipeline;

/// <summary>One series of the report's plot.</summary>
/// <param name="Name">The legend text.</param>
/// <param name="Parameters">Parameter counts.</param>
/// <param name="LatencyMs">Latencies in ms, one per parameter count.</param>
/// <param name="Perplexity">Perplexities, one per parameter count.</param>
/// <param name="Connect">Whether to join the points (sorted by x) with a line: for fronts.</param>
public sealed record PlotSeries(string Name, double[] Parameters, double[] LatencyMs, double[] Perplexity, bool Connect);

/// <summary>
/// Writes the report's figure with ScottPlot: perplexity against parameters (left) and against latency (right), one
/// marker series per <see cref="PlotSeries"/>. Plotting stays in the sample: ScottPlot brings SkiaSharp and its native
/// libraries, which a library user of the runtime should not have to ship.
/// </summary>
public static class ParetoPlot
{
    private static readonly Color[] Palette = [Colors.LightGray, Colors.RoyalBlue, Colors.OrangeRed, Colors.Black, Colors.SeaGreen];

    /// <summary>Saves the figure as a PNG of <paramref name="width"/> × <paramref name="height"/> pixels.</summary>
    public static void Save(string path, string title, IReadOnlyList<PlotSeries> series, int width = 1400, int height = 560)
    {
        using var left = Panel($"{title}: perplexity vs parameters", "parameters", series, s => s.Parameters);
        using var right = Panel($"{title}: perplexity vs latency", "latency of a batch (ms)", series, s => s.LatencyMs);
        var leftBytes = left.GetImageBytes(width / 2, height, ImageFormat.Png);
        var rightBytes = right.GetImageBytes(width - width / 2, height, ImageFormat.Png);
        using var leftImage = SkiaSharp.SKBitmap.Decode(leftBytes);
        using var rightImage = SkiaSharp.SKBitmap.Decode(rightBytes);
        using var combined = new SkiaSharp.SKBitmap(width, height);
        using (var canvas = new SkiaSharp.SKCanvas(combined))
        {
            canvas.Clear(SkiaSharp.SKColors.White);
            canvas.DrawBitmap(leftImage, 0, 0);
            canvas.DrawBitmap(rightImage, width / 2, 0);
        }
        using var image = SkiaSharp.SKImage.FromBitmap(combined);
        using var data = image.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        using (var file = File.Create(temporary))
            data.SaveTo(file);
        File.Move(temporary, path, overwrite: true);
    }

    private static Plot Panel(string title, string xLabel, IReadOnlyList<PlotSeries> series, Func<PlotSeries, double[]> x)
    {
        var plot = new Plot();
        for (var i = 0; i < series.Count; i++)
        {
            var s = series[i];
            if (s.Perplexity.Length == 0)
                continue;
            var xs = x(s);
            var order = Enumerable.Range(0, xs.Length).OrderBy(j => xs[j]).ToArray();
            var scatter = plot.Add.Scatter(order.Select(j => xs[j]).ToArray(), order.Select(j => Math.Log10(s.Perplexity[j])).ToArray());
            scatter.LegendText = s.Name;
            scatter.Color = Palette[i % Palette.Length];
            scatter.LineWidth = s.Connect ? 1.5f : 0;
            scatter.MarkerSize = i == 0 ? 5 : 9;
        }
        plot.Title(title);
        plot.XLabel(xLabel);
        // Log scale: a model pruned without retraining can reach a perplexity of millions, which on a linear axis
        // would flatten the front into one line. Values are plotted as log10 and labelled in perplexity.
        plot.YLabel("validation perplexity (log scale)");
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            LabelFormatter = y => Math.Pow(10, y).ToString(Math.Pow(10, y) < 100 ? "0.#" : "N0", System.Globalization.CultureInfo.InvariantCulture),
        };
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}
