namespace SearchSpaceDsl.TestProblems;

/// <summary>
/// ZDT1 (Zitzler, Deb, Thiele 2000) on a grid: x1 ∈ {0, 0.05, …, 1} and five distance variables ∈ {0, 0.1, …, 1}.
/// f1 = x1, g = 1 + 9·mean(distance), f2 = g·(1 − √(f1/g)), both minimized. The Pareto front is where every distance
/// variable is 0: f2 = 1 − √f1 at the 21 grid values of x1. 21 · 11⁵ = 3,382,071 members.
/// </summary>
[SearchSpace]
public sealed partial class Zdt1
{
    [Choice(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20)] public partial int X1 { get; }
    [Choice(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)] public partial int X2 { get; }
    [Choice(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)] public partial int X3 { get; }
    [Choice(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)] public partial int X4 { get; }
    [Choice(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)] public partial int X5 { get; }
    [Choice(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)] public partial int X6 { get; }

    /// <summary>f1 and f2 (both minimized).</summary>
    public static double[] Evaluate(Zdt1 a)
    {
        var f1 = a.X1 / 20.0;
        var g = 1 + 9 * (a.X2 + a.X3 + a.X4 + a.X5 + a.X6) / 10.0 / 5;
        return [f1, g * (1 - Math.Sqrt(f1 / g))];
    }

    /// <summary>The 21 points of the true Pareto front.</summary>
    public static double[][] TrueFront() => [.. Enumerable.Range(0, 21).Select(k => new[] { k / 20.0, 1 - Math.Sqrt(k / 20.0) })];
}
