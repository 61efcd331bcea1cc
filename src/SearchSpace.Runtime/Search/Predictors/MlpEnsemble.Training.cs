using MathNet.Numerics.LinearAlgebra;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Search.Predictors;

// Training with TorchSharp. The members are trained together as one batched network (weights [K, in, out], batched
// matrix products): the members share no parameter and Adam acts elementwise, so this is exactly K independent
// trainings, with K times fewer native calls per step.
public sealed partial class MlpEnsemble
{
    /// <summary>Trains every member on its resample of standardized data and returns their weights.</summary>
    private MlpNetwork[] TrainMembers(double[][] z, double[] y)
    {
        var k = Members;
        var n = z.Length;
        var d = z[0].Length;
        var sizes = new int[_hiddenSizes.Length + 2];
        sizes[0] = d;
        _hiddenSizes.CopyTo(sizes, 1);
        sizes[^1] = 1;

        // Member seeds come from one generator so that changing Seed changes every member.
        var seeds = new Random(Seed);
        var randoms = new Random[k];
        for (var m = 0; m < k; m++)
            randoms[m] = new Random(seeds.Next());

        // Each member draws its resample, then its initial weights, then its minibatch orders, from its own generator.
        var xData = new float[k * n * d];
        var yData = new float[k * n];
        for (var m = 0; m < k; m++)
        {
            for (var i = 0; i < n; i++)
            {
                var row = Bootstrap ? randoms[m].Next(n) : i;
                for (var j = 0; j < d; j++)
                    xData[(m * n + i) * d + j] = (float)z[row][j];
                yData[m * n + i] = (float)y[row];
            }
        }
        var layers = sizes.Length - 1;
        var weightData = new float[layers][];
        var biasData = new float[layers][];
        for (var layer = 0; layer < layers; layer++)
        {
            var (fanIn, fanOut) = (sizes[layer], sizes[layer + 1]);
            weightData[layer] = new float[k * fanIn * fanOut];
            biasData[layer] = new float[k * fanOut];
        }
        for (var m = 0; m < k; m++)
        {
            for (var layer = 0; layer < layers; layer++)
            {
                var (fanIn, fanOut) = (sizes[layer], sizes[layer + 1]);
                var bound = 1 / Math.Sqrt(fanIn); // torch.nn.Linear's default range
                FillUniform(randoms[m], weightData[layer].AsSpan(m * fanIn * fanOut, fanIn * fanOut), bound);
                FillUniform(randoms[m], biasData[layer].AsSpan(m * fanOut, fanOut), bound);
            }
        }

        using var scope = NewDisposeScope();
        var x = tensor(xData, [k * n, d]);
        var target = tensor(yData, [k * n, 1]);
        var weights = new Parameter[layers];
        var biases = new Parameter[layers];
        for (var layer = 0; layer < layers; layer++)
        {
            weights[layer] = new Parameter(tensor(weightData[layer], [k, sizes[layer], sizes[layer + 1]]));
            biases[layer] = new Parameter(tensor(biasData[layer], [k, 1, sizes[layer + 1]]));
        }
        using var optimizer = optim.Adam(weights.Concat(biases), lr: LearningRate, weight_decay: WeightDecay);

        var batch = BatchSize == 0 ? n : Math.Min(BatchSize, n);
        var orders = new int[k][];
        for (var m = 0; m < k; m++)
            orders[m] = Enumerable.Range(0, n).ToArray();
        var rows = new long[k * batch];
        for (var epoch = 0; epoch < Epochs; epoch++)
        {
            if (batch < n)
            {
                for (var m = 0; m < k; m++)
                    randoms[m].Shuffle(orders[m]);
            }
            for (var start = 0; start < n; start += batch)
            {
                var count = Math.Min(batch, n - start);
                optimizer.zero_grad();
                using (NewDisposeScope())
                {
                    Tensor inputs = x, targets = target;
                    if (count < n)
                    {
                        for (var m = 0; m < k; m++)
                        {
                            for (var i = 0; i < count; i++)
                                rows[m * count + i] = m * n + orders[m][start + i];
                        }
                        var index = tensor(rows.AsSpan(0, k * count).ToArray());
                        inputs = x.index_select(0, index);
                        targets = target.index_select(0, index);
                    }
                    var output = Forward(inputs.view(k, count, d), weights, biases);
                    // The sum of the members' mean squared errors: each member gets exactly its own gradient.
                    var loss = nn.functional.mse_loss(output, targets.view(k, count, 1)) * k;
                    loss.backward();
                }
                optimizer.step();
            }
        }

        var networks = new MlpNetwork[k];
        var trainedWeights = new float[layers][];
        var trainedBiases = new float[layers][];
        for (var layer = 0; layer < layers; layer++)
        {
            trainedWeights[layer] = weights[layer].detach().data<float>().ToArray();
            trainedBiases[layer] = biases[layer].detach().data<float>().ToArray();
        }
        for (var m = 0; m < k; m++)
        {
            var units = new Vector<double>[layers][];
            var unitBiases = new double[layers][];
            for (var layer = 0; layer < layers; layer++)
            {
                var (fanIn, fanOut) = (sizes[layer], sizes[layer + 1]);
                var offset = m * fanIn * fanOut;
                var w = trainedWeights[layer];
                units[layer] = new Vector<double>[fanOut];
                for (var u = 0; u < fanOut; u++)
                    units[layer][u] = Vector<double>.Build.Dense(fanIn, i => w[offset + i * fanOut + u]); // stored [in, out]
                unitBiases[layer] = new double[fanOut];
                for (var u = 0; u < fanOut; u++)
                    unitBiases[layer][u] = trainedBiases[layer][m * fanOut + u];
            }
            networks[m] = new MlpNetwork(units, unitBiases);
        }
        return networks;
    }

    /// <summary>All members at once: <c>[K, B, in]</c> → <c>[K, B, 1]</c>.</summary>
    private static Tensor Forward(Tensor input, Parameter[] weights, Parameter[] biases)
    {
        var h = input;
        for (var layer = 0; layer < weights.Length; layer++)
        {
            h = bmm(h, weights[layer]) + biases[layer];
            if (layer < weights.Length - 1)
                h = nn.functional.relu(h);
        }
        return h;
    }

    private static void FillUniform(Random random, Span<float> values, double bound)
    {
        for (var i = 0; i < values.Length; i++)
            values[i] = (float)((2 * random.NextDouble() - 1) * bound);
    }
}
