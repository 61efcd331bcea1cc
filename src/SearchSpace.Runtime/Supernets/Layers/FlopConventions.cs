namespace SearchSpaceDsl.Supernets;

/// <summary>
/// How the static <c>CountFlopsPerToken</c> formulas of the entangled layers count floating-point operations: the
/// forward work for one token (one position of the sequence), from sizes alone.
/// </summary>
/// <remarks>
/// <para>Matrix products: a multiply-add counts as 2 FLOPs, so a linear map from <c>in</c> to <c>out</c> features costs
/// <c>2·in·out</c> per token, plus <c>out</c> for adding a bias. An embedding lookup is a gather: 0 FLOPs.</para>
/// <para>Element-wise work counts one FLOP per arithmetic step per element, a transcendental function (exp, erf)
/// counting as one step; the constants below list the steps. Work done once per token rather than per feature (dividing
/// a sum by the width, adding epsilon, the square root of a statistic) and comparisons (the row maximum of softmax)
/// are not counted. Copies, views and reshapes (splitting and merging heads, repeating key/value heads for grouped-query
/// attention, gathering strided weight slices) cost 0.</para>
/// <para>Attention attends to a context of <c>T</c> positions: each query head computes <c>T</c> scores (2·T·headSize)
/// and a weighted sum of <c>T</c> values (2·T·headSize) per token, i.e. the full computation; a causal kernel that
/// skips the masked half does about half this work, which the formula deliberately does not model (it does not depend
/// on the kernel), so the count is an upper bound for causal attention.</para>
/// </remarks>
public static class FlopConventions
{
    /// <summary>
    /// FLOPs of the exact GELU <c>0.5·x·(1 + erf(x/√2))</c> per element: divide by √2, erf, add 1, multiply by x,
    /// multiply by 0.5.
    /// </summary>
    public const int GeluPerElement = 5;

    /// <summary>
    /// FLOPs per attention score for the scaled softmax over a row of scores: scale by 1/√headSize, subtract the row
    /// maximum, exp, add to the row sum, divide by the sum.
    /// </summary>
    public const int SoftmaxPerScore = 5;

    /// <summary>
    /// FLOPs of LayerNorm per feature: add to the sum for the mean, subtract the mean, square, add to the sum for the
    /// variance, multiply by 1/σ, multiply by γ, add β.
    /// </summary>
    public const int LayerNormPerFeature = 7;

    /// <summary>
    /// FLOPs of RMSNorm per feature: square, add to the sum for the mean square, multiply by 1/rms, multiply by γ.
    /// </summary>
    public const int RmsNormPerFeature = 4;
}
