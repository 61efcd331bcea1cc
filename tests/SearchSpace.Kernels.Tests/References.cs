using static TorchSharp.torch;

namespace SearchSpaceDsl.Kernels.Tests;

/// <summary>Independent float64 references: plain loops, and TorchSharp in float64 where a loop would need erf.</summary>
internal static class References
{
    /// <summary><c>y = x · W[rows(n), cols(k)]ᵀ + b[rows(n)]</c>, optionally GELU (torch's exact GELU, float64).</summary>
    public static double[] Linear(float[] x, int ldx, float[] w, int ldw, float[]? b, int rows, int inFeatures,
        int outFeatures, bool gelu = false, IndexBlocks? outBlocks = null, IndexBlocks? inBlocks = null)
    {
        var outMap = outBlocks ?? IndexBlocks.Contiguous;
        var inMap = inBlocks ?? IndexBlocks.Contiguous;
        var y = new double[rows * outFeatures];
        for (int r = 0; r < rows; r++)
        {
            for (int n = 0; n < outFeatures; n++)
            {
                long wr = outMap.Map(n);
                double sum = b is null ? 0 : b[wr];
                for (int k = 0; k < inFeatures; k++)
                    sum += (double)x[r * ldx + k] * w[wr * ldw + inMap.Map(k)];
                y[r * outFeatures + n] = sum;
            }
        }
        if (!gelu)
            return y;
        using var t = tensor(y, dtype: float64);
        using var g = nn.functional.gelu(t);
        return g.data<double>().ToArray();
    }

    /// <summary>
    /// Causal attention per (sequence, head, query) with softmax in float64; <c>(b, t, head, j)</c> lives at
    /// <c>(b·seq + t)·ld + head·headStride + j</c>; the result is dense <c>[batch·seq, heads·headSize]</c>.
    /// </summary>
    public static double[] Attention(float[] q, int qLd, float[] k, int kLd, float[] v, int vLd, AttentionShape s)
    {
        var o = new double[s.Batch * s.Seq * s.Heads * s.HeadSize];
        double scale = 1 / Math.Sqrt(s.HeadSize);
        int perGroup = s.Heads / s.KvHeads;
        var scores = new double[s.Seq];
        for (int b = 0; b < s.Batch; b++)
        for (int h = 0; h < s.Heads; h++)
        for (int t = 0; t < s.Seq; t++)
        {
            int g = h / perGroup;
            double max = double.NegativeInfinity;
            for (int u = 0; u <= t; u++)
            {
                double dot = 0;
                for (int j = 0; j < s.HeadSize; j++)
                    dot += (double)q[(b * s.Seq + t) * qLd + h * s.HeadStride + j] * k[(b * s.Seq + u) * kLd + g * s.HeadStride + j];
                scores[u] = dot * scale;
                max = Math.Max(max, scores[u]);
            }
            double sum = 0;
            for (int u = 0; u <= t; u++)
            {
                scores[u] = Math.Exp(scores[u] - max);
                sum += scores[u];
            }
            for (int j = 0; j < s.HeadSize; j++)
            {
                double acc = 0;
                for (int u = 0; u <= t; u++)
                    acc += scores[u] * v[(b * s.Seq + u) * vLd + g * s.HeadStride + j];
                o[(b * s.Seq + t) * s.Heads * s.HeadSize + h * s.HeadSize + j] = acc / sum;
            }
        }
        return o;
    }

    /// <summary>LayerNorm over the first <paramref name="dim"/> features (biased variance), float64.</summary>
    public static double[] LayerNorm(float[] x, int ldx, float[] gamma, float[] beta, int rows, int dim, double eps = 1e-5)
    {
        var y = new double[rows * dim];
        for (int r = 0; r < rows; r++)
        {
            double mean = 0;
            for (int j = 0; j < dim; j++)
                mean += x[r * ldx + j];
            mean /= dim;
            double variance = 0;
            for (int j = 0; j < dim; j++)
                variance += (x[r * ldx + j] - mean) * (x[r * ldx + j] - mean);
            variance /= dim;
            double inverse = 1 / Math.Sqrt(variance + eps);
            for (int j = 0; j < dim; j++)
                y[r * dim + j] = (x[r * ldx + j] - mean) * inverse * gamma[j] + beta[j];
        }
        return y;
    }
}
