using System.Runtime.CompilerServices;
using ILGPU.Algorithms;

namespace SearchSpaceDsl.Kernels;

/// <summary>Scalar functions used inside kernels.</summary>
internal static class DeviceMath
{
    private const float InverseSqrt2 = 0.70710678118654752f;

    /// <summary>
    /// The exact (erf-based) GELU, <c>x·Φ(x) = ½·x·erfc(−x/√2)</c>, as <c>torch.nn.functional.gelu</c> computes by
    /// default (not the tanh approximation). Written with erfc so that the negative tail keeps its relative accuracy.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Gelu(float x) => 0.5f * x * Erfc(-x * InverseSqrt2);

    /// <summary>
    /// The complementary error function, Chebyshev fit of Numerical Recipes (<c>erfcc</c>): fractional error below
    /// 1.2·10⁻⁷ everywhere. ILGPU.Algorithms' XMath has no erf.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Erfc(float x)
    {
        float z = XMath.Abs(x);
        float t = 1f / (1f + 0.5f * z);
        float poly = -1.26551223f + t * (1.00002368f + t * (0.37409196f + t * (0.09678418f + t * (-0.18628806f
            + t * (0.27886807f + t * (-1.13520398f + t * (1.48851587f + t * (-0.82215223f + t * 0.17087277f))))))));
        float r = t * XMath.Exp(-z * z + poly);
        return x >= 0 ? r : 2f - r;
    }
}
