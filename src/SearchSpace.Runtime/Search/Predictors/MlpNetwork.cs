using MathNet.Numerics.LinearAlgebra;

namespace SearchSpaceDsl.Search.Predictors;

/// <summary>
/// A trained ReLU multilayer perceptron with one output, held as MathNet vectors (copied out of TorchSharp after
/// training) so that predicting needs no native tensor: a fitted ensemble owns nothing to dispose and Predict is
/// thread-safe.
/// </summary>
internal sealed class MlpNetwork
{
    private readonly Vector<double>[][] _units;
    private readonly double[][] _biases;

    /// <summary>Wraps each layer's units (one weight vector over the layer's inputs per unit) and biases, input layer first.</summary>
    internal MlpNetwork(Vector<double>[][] units, double[][] biases)
    {
        _units = units;
        _biases = biases;
    }

    /// <summary>The output for one standardized input: ReLU after every layer but the last.</summary>
    internal double Forward(Vector<double> input)
    {
        var h = input;
        for (var layer = 0; layer < _units.Length; layer++)
        {
            var units = _units[layer];
            var next = Vector<double>.Build.Dense(units.Length);
            // Unit by unit rather than Matrix × Vector: MathNet runs products of order 64 and above in parallel,
            // and for a single 64-wide input the fork and join cost far more than the arithmetic.
            for (var u = 0; u < units.Length; u++)
            {
                var value = units[u].DotProduct(h) + _biases[layer][u];
                next[u] = layer < _units.Length - 1 ? Math.Max(value, 0) : value;
            }
            h = next;
        }
        return h[0];
    }
}
