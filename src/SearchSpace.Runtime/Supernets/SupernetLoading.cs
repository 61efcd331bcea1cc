using System.Text;
using SearchSpaceDsl.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Supernets;

/// <summary>
/// Loads a trained dense model into a supernet: the starting point for compressing a model. The dense model of an
/// architecture is an instance of the same <c>[Supernet]</c> class built with that architecture as its capacity (for
/// the largest architecture, <c>new TModel(TArch.Space.Largest)</c>) and trained with it active; a supernet built with
/// the same capacity has exactly the same state-dict names and shapes, so loading is a plain copy, and afterwards the
/// supernet's forward with its capacity active equals the dense forward bit for bit.
/// </summary>
/// <remarks>
/// Only equal capacities are loaded: every state-dict name, shape and dtype must match. A dense model of a smaller
/// architecture is refused (its tensors are smaller than the supernet's), with every mismatched tensor listed; to start
/// from it, build the supernet with that architecture as its capacity. Nothing is changed when anything differs.
/// </remarks>
public static class SupernetLoading
{
    /// <summary>
    /// Copies every tensor of <paramref name="dense"/>'s <c>state_dict()</c> (parameters and persistent buffers) into
    /// the tensor of the same name of <paramref name="supernet"/>, in place under <c>torch.no_grad()</c> (parameters keep
    /// their identity, so optimizers built before still update them; values move to the supernet's devices), then
    /// activates the supernet's capacity.
    /// </summary>
    /// <typeparam name="TArch">The architecture type.</typeparam>
    /// <param name="supernet">The supernet, a module (typically a generated <c>[Supernet]</c> class).</param>
    /// <param name="dense">The dense model, typically the same class built with the supernet's capacity.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="supernet"/> is not a module, or the state dicts differ: the message lists every missing,
    /// unexpected, mis-shaped and mis-typed tensor, and nothing has been copied.
    /// </exception>
    public static void LoadDense<TArch>(ISupernet<TArch> supernet, nn.Module dense) where TArch : class, IArchitecture<TArch>
    {
        ArgumentNullException.ThrowIfNull(dense);
        var module = AsModule(supernet);
        var targets = module.state_dict();
        var sources = dense.state_dict();

        var problems = new List<string>();
        foreach (var name in targets.Keys.Concat(sources.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            bool inSupernet = targets.TryGetValue(name, out var target);
            bool inDense = sources.TryGetValue(name, out var source);
            if (!inDense)
                problems.Add($"missing tensor '{name}' ({Shape(target!)}): the supernet has it, the dense model does not");
            else if (!inSupernet)
                problems.Add($"unexpected tensor '{name}' ({Shape(source!)}): the dense model has it, the supernet does not");
            else
            {
                if (!target!.shape.SequenceEqual(source!.shape))
                    problems.Add($"shape mismatch for '{name}': the supernet has {Shape(target)}, the dense model {Shape(source)}");
                if (target.dtype != source.dtype)
                    problems.Add($"dtype mismatch for '{name}': the supernet has {target.dtype}, the dense model {source.dtype}");
            }
        }
        if (problems.Count > 0)
            throw new ArgumentException(Describe(module, dense, problems), nameof(dense));

        using (no_grad())
        {
            foreach (var (name, target) in targets)
                target.copy_(sources[name]);
        }
        supernet.Activate(supernet.Capacity);
    }

    /// <summary>
    /// Loads a safetensors checkpoint of the dense model (written by <see cref="ModuleCheckpoint.Save"/>) into
    /// <paramref name="supernet"/> with <see cref="ModuleCheckpoint.Load"/>, then activates the supernet's capacity.
    /// </summary>
    /// <typeparam name="TArch">The architecture type.</typeparam>
    /// <param name="supernet">The supernet, a module (typically a generated <c>[Supernet]</c> class).</param>
    /// <param name="checkpointPath">The checkpoint of a dense model whose architecture is the supernet's capacity.</param>
    /// <returns>The checkpoint's metadata; empty when it has none.</returns>
    /// <exception cref="CheckpointMismatchException">The checkpoint's tensors differ from the supernet's: every mismatch
    /// is listed, nothing was loaded (e.g. a dense model of another capacity).</exception>
    /// <exception cref="CheckpointException">The file is not a valid safetensors file; nothing was loaded.</exception>
    public static IReadOnlyDictionary<string, string> LoadDense<TArch>(ISupernet<TArch> supernet, string checkpointPath)
        where TArch : class, IArchitecture<TArch>
    {
        var metadata = ModuleCheckpoint.Load(AsModule(supernet), checkpointPath);
        supernet.Activate(supernet.Capacity);
        return metadata;
    }

    private static nn.Module AsModule<TArch>(ISupernet<TArch> supernet) where TArch : class, IArchitecture<TArch>
    {
        ArgumentNullException.ThrowIfNull(supernet);
        return supernet as nn.Module
            ?? throw new ArgumentException($"The supernet {supernet.GetType().Name} is not a TorchSharp module.", nameof(supernet));
    }

    private static string Describe(nn.Module supernet, nn.Module dense, List<string> problems)
    {
        var message = new StringBuilder()
            .Append($"Cannot load the dense model '{dense.GetName()}' into the supernet '{supernet.GetName()}': ")
            .Append(problems.Count == 1 ? "1 mismatch" : $"{problems.Count} mismatches")
            .Append(" (the dense model's architecture must be the supernet's capacity), nothing copied.");
        foreach (var problem in problems)
            message.Append(Environment.NewLine).Append("  - ").Append(problem);
        return message.ToString();
    }

    private static string Shape(Tensor tensor) => $"[{string.Join(", ", tensor.shape)}]";
}
