using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets;

/// <summary>Assertions shared by the tests of the entangled layers (linear, embedding, norms, MLP).</summary>
internal static class EntangledLayerAssert
{
    /// <summary>Random active configurations drawn per layer.</summary>
    public const int Configurations = 60;

    /// <summary>Tolerance between a supernet forward and its extracted module's forward.</summary>
    public const double Tolerance = 1e-5;

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

    /// <summary>The tensor's elements as doubles, in row-major order.</summary>
    public static double[] ToDoubles(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        return tensor.to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
    }
}
