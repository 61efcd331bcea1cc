using SearchSpaceDsl.Supernets.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets.Training;

/// <summary>Batches, parameter snapshots and gradient reads shared by the training tests.</summary>
internal static class TrainingTestHelpers
{
    /// <summary>A random batch of token ids: inputs and targets, int64 <c>[batch, context]</c>.</summary>
    public static (Tensor Inputs, Tensor Targets) RandomBatch(int vocab, int batch, int context, int seed)
    {
        var random = new Random(seed);
        var tokens = Enumerable.Range(0, batch * context + 1).Select(_ => (long)random.Next(vocab)).ToArray();
        long[] shape = [batch, context];
        var inputs = tensor(tokens[..^1], shape);
        var targets = tensor(tokens[1..], shape);
        return (inputs, targets);
    }

    /// <summary>Copies of every parameter, by state-dict name.</summary>
    public static Dictionary<string, Tensor> Snapshot(nn.Module module)
    {
        using var noGrad = no_grad();
        return module.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone().DetachFromDisposeScope());
    }

    /// <summary>Copies of every parameter's gradient (zeros where there is none), by state-dict name.</summary>
    public static Dictionary<string, Tensor> Gradients(nn.Module module)
    {
        using var noGrad = no_grad();
        var gradients = new Dictionary<string, Tensor>();
        foreach (var (name, parameter) in module.named_parameters())
        {
            using var grad = parameter.grad;
            gradients[name] = (grad is null ? zeros_like(parameter) : grad.clone()).DetachFromDisposeScope();
        }
        return gradients;
    }

    /// <summary>Writes a snapshot back into the parameters.</summary>
    public static void Restore(nn.Module module, Dictionary<string, Tensor> snapshot)
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in module.named_parameters())
            parameter.copy_(snapshot[name]);
    }

    /// <summary>Sets every parameter's gradient to none.</summary>
    public static void ClearGradients(nn.Module module)
    {
        foreach (var (_, parameter) in module.named_parameters())
            parameter.grad = null;
    }

    /// <summary>The largest absolute difference over all entries of two parameter dictionaries.</summary>
    public static double MaxAbsDiff(Dictionary<string, Tensor> expected, Dictionary<string, Tensor> actual)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        using var scope = NewDisposeScope();
        return expected.Keys.Max(name => (expected[name] - actual[name]).abs().max().ToDouble());
    }

    /// <summary>A strategy that records every list its inner strategy returns.</summary>
    public sealed class Recording<TArch>(ISamplingStrategy<TArch> inner) : ISamplingStrategy<TArch>
        where TArch : class, IArchitecture<TArch>
    {
        public List<IReadOnlyList<TArch>> Calls { get; } = [];

        public IReadOnlyList<TArch> ArchitecturesFor(int step, Random random)
        {
            var architectures = inner.ArchitecturesFor(step, random);
            Calls.Add(architectures);
            return architectures;
        }
    }
}
