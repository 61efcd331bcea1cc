namespace SearchSpaceDsl.Kernels.Tests;

/// <summary>Comparisons of kernel outputs with float64 references.</summary>
internal static class Compare
{
    /// <summary>The tolerance: relative error max|a − b| / max|b| at most 1e-5.</summary>
    public const double Tolerance = 1e-5;

    /// <summary>
    /// Asserts that the first <paramref name="rows"/> × <paramref name="columns"/> elements of <paramref name="actual"/>
    /// (row stride <paramref name="stride"/>) match <paramref name="expected"/> (dense) within <see cref="Tolerance"/>
    /// relative to max|expected|, and that the padding between rows is still NaN (nothing written outside).
    /// </summary>
    public static double Matrix(float[] actual, int stride, double[] expected, int rows, int columns, double tolerance = Tolerance)
    {
        double maxError = 0, maxValue = 0;
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < stride && (long)r * stride + c < actual.Length; c++)
            {
                float a = actual[r * stride + c];
                if (c >= columns)
                {
                    Assert.True(float.IsNaN(a), $"Element ({r}, {c}) lies outside the output but was written ({a}).");
                    continue;
                }
                double b = expected[r * columns + c];
                Assert.False(float.IsNaN(a), $"Element ({r}, {c}) was not written (still NaN).");
                maxError = Math.Max(maxError, Math.Abs(a - b));
                maxValue = Math.Max(maxValue, Math.Abs(b));
            }
        }
        double relative = maxError / Math.Max(maxValue, double.Epsilon);
        Assert.True(relative <= tolerance, $"Relative error {relative:E3} exceeds {tolerance:E1} (max |error| {maxError:E3}, max |expected| {maxValue:E3}).");
        return relative;
    }
}
