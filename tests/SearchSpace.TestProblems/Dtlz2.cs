namespace SearchSpaceDsl.TestProblems;

/// <summary>
/// DTLZ2 (Deb, Thiele, Laumanns, Zitzler 2005) with three objectives on a grid: two angles θ ∈ {0, π/20, …, π/2}
/// and four distance variables x ∈ {0, 0.1, …, 1}. g = Σ (x − 0.5)², f = (1 + g)·(cos θ1 cos θ2, cos θ1 sin θ2, sin θ1),
/// all minimized. The Pareto front is where every x is 0.5: the grid points of the unit sphere's positive octant.
/// 11² · 11⁴ = 1,771,561 members.
/// </summary>
[SearchSpace]
public sealed partial class Dtlz2
{
    [Choice(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)] public partial int Theta1 { get; }
    [Choice(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)] public partial int Theta2 { get; }
    [Choice(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)] public partial int X3 { get; }
    [Choice(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)] public partial int X4 { get; }
    [Choice(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)] public partial int X5 { get; }
    [Choice(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)] public partial int X6 { get; }

    /// <summary>f1, f2 and f3 (all minimized).</summary>
    public static double[] Evaluate(Dtlz2 a)
    {
        var g = Square(a.X3) + Square(a.X4) + Square(a.X5) + Square(a.X6);
        return Point(a.Theta1, a.Theta2, 1 + g);

        static double Square(int x) => (x / 10.0 - 0.5) * (x / 10.0 - 0.5);
    }

    /// <summary>The 121 grid points of the true Pareto front (some coincide where θ1 = π/2).</summary>
    public static double[][] TrueFront() =>
        [.. from t1 in Enumerable.Range(0, 11) from t2 in Enumerable.Range(0, 11) select Point(t1, t2, 1)];

    private static double[] Point(int theta1, int theta2, double radius)
    {
        var a1 = theta1 / 10.0 * Math.PI / 2;
        var a2 = theta2 / 10.0 * Math.PI / 2;
        return [radius * Math.Cos(a1) * Math.Cos(a2), radius * Math.Cos(a1) * Math.Sin(a2), radius * Math.Sin(a1)];
    }
}
