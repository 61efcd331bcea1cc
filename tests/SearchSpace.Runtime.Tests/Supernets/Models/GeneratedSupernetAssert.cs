using SearchSpaceDsl.Supernets;
using TorchSharp;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets.Models;

/// <summary>The checks every generated supernet must pass for any architecture, shared by the model tests.</summary>
internal static class GeneratedSupernetAssert
{
    /// <summary>
    /// For <paramref name="count"/> architectures sampled with <paramref name="seed"/>: the supernet's forward equals the
    /// extracted model's forward (max abs diff ≤ 1e-5), the analytic parameter count equals the extracted model's
    /// parameters, and one backward through the supernet puts gradients only into the active slices, where they equal the
    /// extracted model's gradients. The batch is 2 sequences of <paramref name="sequence"/> tokens.
    /// </summary>
    public static void EverySampledArchitecture<TModel, TArch>(TModel model, int vocab, int count, int seed,
        Func<TArch, long> countParameters, int sequence = 6)
        where TModel : nn.Module<Tensor, Tensor>, ISupernet<TArch>, IEntangledModule
        where TArch : class, IArchitecture<TArch>
    {
        var random = new Random(seed);
        using var generator = new Generator((ulong)seed);
        var tokens = randint(vocab, [2, sequence], dtype: int64, generator: generator);
        var weights = randn([2, sequence, vocab], generator: generator);
        for (var n = 0; n < count; n++)
        {
            var architecture = TArch.Space.Sample(random);
            using var scope = NewDisposeScope();
            using var dense = model.Extract(architecture);
            Assert.Equal(countParameters(architecture), dense.parameters().Sum(p => p.numel()));

            model.Activate(architecture);
            model.zero_grad();
            var output = model.forward(tokens);
            var denseOutput = dense.forward(tokens);
            var diff = (output - denseOutput).abs().max().ToDouble();
            Assert.True(diff <= 1e-5, $"{architecture}: max abs diff {diff:E3} between the supernet and the extracted model");

            (output * weights).sum().backward();
            (denseOutput * weights).sum().backward();
            GradientsStayInActiveSlices(model, dense, architecture.ToString()!);
        }
    }

    /// <summary>
    /// Every supernet gradient is zero outside the active slices, and inside them equals the gradient of the dense
    /// parameter of the same name. Positions are found by writing each parameter's flat indices into it and reading them
    /// back through <see cref="IEntangledModule.ActiveSlices"/>, so strided and grouped selections are covered too.
    /// </summary>
    private static void GradientsStayInActiveSlices(IEntangledModule model, nn.Module dense, string architecture)
    {
        var module = (nn.Module)model;
        var parameters = module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var denseGradients = dense.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!);
        var masks = parameters.ToDictionary(p => p.Key, p => zeros(p.Value.numel(), dtype: @bool));
        double denseNorm = denseGradients.Values.Sum(g => g.abs().sum().ToDouble());
        Assert.True(denseNorm > 0, $"{architecture}: the extracted model received no gradient");

        using (no_grad())
        {
            var saved = parameters.ToDictionary(p => p.Key, p => p.Value.detach().clone());
            foreach (var (_, parameter) in parameters)
                parameter.copy_(arange(parameter.numel(), dtype: float32).view(parameter.shape));
            try
            {
                foreach (var (name, slice) in model.ActiveSlices())
                {
                    var index = slice.to(int64).flatten();
                    var gradient = parameters[name].grad!.flatten().index_select(0, index);
                    var expected = denseGradients[name].flatten();
                    var diff = (gradient - expected).abs().max().ToDouble();
                    var scale = 1 + expected.abs().max().ToDouble();
                    Assert.True(diff <= 1e-5 * scale, $"{architecture}: gradient of '{name}' differs from the extracted model's by {diff:E3}");
                    masks[name].index_fill_(0, index, true);
                }
            }
            finally
            {
                foreach (var (name, parameter) in parameters)
                    parameter.copy_(saved[name]);
            }
        }

        foreach (var (name, parameter) in parameters)
        {
            var gradient = parameter.grad;
            if (gradient is null)
                continue;
            var outside = gradient.flatten().masked_select(masks[name].logical_not()).abs();
            var leaked = outside.numel() == 0 ? 0 : outside.max().ToDouble();
            Assert.True(leaked == 0, $"{architecture}: '{name}' has gradient {leaked:E3} outside its active slice");
        }
    }

    /// <summary>Managed bytes allocated by 1,000 activations after warm-up, alternating two architectures.</summary>
    public static long ActivationAllocations<TArch>(ISupernet<TArch> model, TArch first, TArch second)
        where TArch : class, IArchitecture<TArch>
    {
        for (var i = 0; i < 200; i++)
        {
            model.Activate(first);
            model.Activate(second);
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 500; i++)
        {
            model.Activate(first);
            model.Activate(second);
        }
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
