using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets;

/// <summary>
/// Assertions and configuration generators shared by the tests of the entangled layers (linear, embedding, norms, MLP,
/// self-attention).
/// </summary>
internal static class EntangledLayerAssert
{
    /// <summary>Random active configurations drawn per layer.</summary>
    public const int Configurations = 60;

    /// <summary>Tolerance between a supernet forward and its extracted module's forward.</summary>
    public const double Tolerance = 1e-5;

    /// <summary>
    /// Active widths of a one-size layer: the largest, the smallest, then <paramref name="alsoFirst"/>, then random widths
    /// in <c>[1, dimMax]</c>; <see cref="Configurations"/> in all.
    /// </summary>
    public static IEnumerable<int> Widths(int seed, int dimMax, params int[] alsoFirst)
    {
        var random = new Random(seed);
        int[] first = [dimMax, 1, .. alsoFirst];
        foreach (var width in first)
            yield return width;
        for (var i = first.Length; i < Configurations; i++)
            yield return random.Next(1, dimMax + 1);
    }

    /// <summary>
    /// Active configurations of a layer with two sizes and a bias switch: both sizes largest with the bias, both 1
    /// without, each 1 while the other is largest, then random sizes and switches; <see cref="Configurations"/> in all.
    /// </summary>
    public static IEnumerable<(int First, int Second, bool Bias)> SizesAndBias(int seed, int firstMax, int secondMax)
    {
        var random = new Random(seed);
        yield return (firstMax, secondMax, true);
        yield return (1, 1, false);
        yield return (1, secondMax, true);
        yield return (firstMax, 1, true);
        for (var i = 4; i < Configurations; i++)
            yield return (random.Next(1, firstMax + 1), random.Next(1, secondMax + 1), random.Next(2) == 1);
    }

    /// <summary>The largest absolute difference of two tensors of the same shape.</summary>
    public static double MaxAbsDiff(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var scope = NewDisposeScope();
        return (expected - actual).abs().max().ToDouble();
    }

    /// <summary>Asserts equal shapes and a max abs difference within <paramref name="tolerance"/>.</summary>
    public static void Close(Tensor expected, Tensor actual, double tolerance, string what)
    {
        var diff = MaxAbsDiff(expected, actual);
        Assert.True(diff <= tolerance, $"{what}: max abs diff {diff:E3} > {tolerance:E1}");
    }

    /// <summary>The number of elements of a module's parameters.</summary>
    public static long ParameterCount(nn.Module module)
    {
        using var scope = NewDisposeScope();
        return module.parameters().Sum(p => p.numel());
    }

    /// <summary>
    /// A scalar loss <c>Σ output · r</c> with a random projection <c>r</c> (so no gradient vanishes by symmetry, as
    /// LayerNorm's input gradient does under <c>output.sum()</c>).
    /// </summary>
    public static Tensor ProjectionLoss(Tensor output, Generator generator) =>
        (output * randn(output.shape, dtype: output.dtype, generator: generator)).sum();

    /// <summary>
    /// Asserts that <paramref name="parameter"/>'s gradient is non-zero somewhere inside the prefix slice
    /// <c>[:activeShape[0], :activeShape[1], …]</c> and exactly zero everywhere outside it.
    /// </summary>
    public static void GradientOnlyInPrefix(Parameter parameter, string what, params long[] activeShape)
    {
        using var scope = NewDisposeScope();
        var grad = parameter.grad;
        Assert.True(grad is not null, $"{what}: no gradient");
        Assert.Equal(parameter.shape, grad!.shape);
        Assert.Equal(parameter.dim(), activeShape.Length);

        var outside = grad.clone();
        var inside = outside;
        for (var dim = 0; dim < activeShape.Length; dim++)
            inside = inside.narrow(dim, 0, activeShape[dim]);
        Assert.True(inside.abs().max().ToDouble() > 0, $"{what}: the gradient is zero everywhere inside the active slice");
        inside.zero_(); // a view: zeroes the active slice of the copy, leaving what lies outside it
        Assert.True(outside.abs().max().ToDouble() == 0, $"{what}: non-zero gradient outside the active slice");
    }

    /// <summary>Asserts that a parameter got no gradient (undefined or all zero), e.g. a bias switched off.</summary>
    public static void NoGradient(Parameter parameter, string what)
    {
        using var scope = NewDisposeScope();
        var grad = parameter.grad;
        Assert.True(grad is null || grad.abs().max().ToDouble() == 0, $"{what}: unexpected gradient");
    }

    /// <summary>
    /// Runs <paramref name="setActive"/> 10,000 times (after a warm-up) and asserts that it allocated no managed bytes
    /// on this thread and created no tensor.
    /// </summary>
    public static void AllocatesNothing(Action<int> setActive, int calls = 10_000)
    {
        for (var i = 0; i < 100; i++)
            setActive(i); // JIT and tiering out of the way

        var statistics = DisposeScopeManager.Statistics.TensorStatistics;
        var tensorsBefore = statistics.CreatedInScopeCount + statistics.CreatedOutsideScopeCount;
        var liveBefore = statistics.ThreadTotalLiveCount;
        var bytesBefore = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < calls; i++)
            setActive(i);
        var bytesAfter = GC.GetAllocatedBytesForCurrentThread();

        Assert.Equal(0, bytesAfter - bytesBefore);
        Assert.Equal(tensorsBefore, statistics.CreatedInScopeCount + statistics.CreatedOutsideScopeCount);
        Assert.Equal(liveBefore, statistics.ThreadTotalLiveCount);
    }

    /// <summary>
    /// Asserts that <paramref name="extracted"/> shares no storage with the supernet layer: once every parameter of
    /// <paramref name="layer"/> has moved by <paramref name="amount"/>, the extracted output on <paramref name="input"/>
    /// is unchanged, while the supernet's own output has changed by more than <paramref name="minimumChange"/>.
    /// </summary>
    public static void SharesNoStorage(nn.Module<Tensor, Tensor> layer, nn.Module<Tensor, Tensor> extracted, Tensor input,
        double amount, double minimumChange)
    {
        using var scope = NewDisposeScope();
        var extractedBefore = extracted.forward(input);
        var supernetBefore = layer.forward(input);

        foreach (var parameter in layer.parameters())
            Perturb(parameter, amount);

        Close(extractedBefore, extracted.forward(input), 0, "extracted output after the supernet changed");
        Assert.True(MaxAbsDiff(supernetBefore, layer.forward(input)) > minimumChange, "the supernet's own output should change");
    }

    /// <summary>Asserts that a thrown exception's message names the layer and states the allowed range.</summary>
    public static void NamesLayerAndRange(ArgumentOutOfRangeException error, string layer, int max)
    {
        Assert.Contains($"'{layer}'", error.Message);
        Assert.Contains($"[1, {max}]", error.Message);
    }

    /// <summary>Adds <paramref name="amount"/> to every element of the parameter, in place and outside autograd.</summary>
    public static void Perturb(Parameter parameter, double amount)
    {
        using var noGrad = no_grad();
        parameter.add_(amount);
    }

    /// <summary>Fills a parameter with U(low, high) from <paramref name="generator"/>, outside autograd.</summary>
    public static void Randomize(Parameter parameter, double low, double high, Generator generator)
    {
        using var noGrad = no_grad();
        nn.init.uniform_(parameter, low, high, generator);
    }

    /// <summary>The tensor's elements as doubles, in row-major order (read outside autograd).</summary>
    public static double[] ToDoubles(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        return tensor.detach().to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
    }
}
