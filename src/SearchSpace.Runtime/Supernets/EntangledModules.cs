using System.Text;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Supernets;

/// <summary>Operations on entangled modules as a whole: copying the active sub-network into a dense module.</summary>
public static class EntangledModules
{
    /// <summary>
    /// Copies every active slice of <paramref name="source"/> (<see cref="IEntangledModule.ActiveSlices"/>) into the
    /// parameter of <paramref name="target"/> with the same state-dict name, outside autograd (under
    /// <c>torch.no_grad()</c>). The target is typically a module of the same type whose max sizes equal the source's
    /// active sizes (or the dense module <see cref="IEntangledModule.Extract"/> returns); afterwards it computes what the
    /// source's active sub-network computes, from its own storage. Values are converted to the target's dtype and device.
    /// </summary>
    /// <param name="source">The entangled module whose active sub-network is copied.</param>
    /// <param name="target">The module receiving the copies; its parameters keep their identity and <c>requires_grad</c>.</param>
    /// <exception cref="InvalidOperationException">
    /// The names or shapes do not match: a slice whose name the target lacks, a slice whose shape differs from the target
    /// parameter's, or a target parameter no slice covers. The message lists every mismatch (names and both shapes), and
    /// nothing has been copied.
    /// </exception>
    public static void CopyActiveSlices(IEntangledModule source, nn.Module target)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);

        var targetParameters = new Dictionary<string, Parameter>(StringComparer.Ordinal);
        foreach (var (name, parameter) in target.named_parameters())
            targetParameters[name] = parameter;

        using var scope = NewDisposeScope(); // the slices (views and gathered copies) end with it
        var slices = source.ActiveSlices().ToList();

        var problems = new List<string>();
        var covered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, slice) in slices)
        {
            if (!covered.Add(name))
                problems.Add($"'{name}': listed twice by the source");
            else if (!targetParameters.TryGetValue(name, out var parameter))
                problems.Add($"'{name}': the target has no such parameter (active slice {Shape(slice)})");
            else if (!slice.shape.SequenceEqual(parameter.shape))
                problems.Add($"'{name}': active slice {Shape(slice)}, target parameter {Shape(parameter)}");
        }
        foreach (var (name, parameter) in targetParameters)
        {
            if (!covered.Contains(name))
                problems.Add($"'{name}': no active slice of the source covers the target parameter {Shape(parameter)}");
        }
        if (problems.Count > 0)
            throw new InvalidOperationException(Describe(source, target, problems));

        using var noGrad = no_grad();
        foreach (var (name, slice) in slices)
            targetParameters[name].copy_(slice);
    }

    private static string Describe(IEntangledModule source, nn.Module target, List<string> problems)
    {
        var sourceName = source is nn.Module module ? module.GetName() : source.GetType().Name;
        var message = new StringBuilder()
            .Append($"Cannot copy the active slices of '{sourceName}' into '{target.GetName()}': ")
            .Append(problems.Count == 1 ? "1 mismatch" : $"{problems.Count} mismatches")
            .Append(", nothing copied.");
        foreach (var problem in problems)
            message.Append(Environment.NewLine).Append("  ").Append(problem);
        return message.ToString();
    }

    private static string Shape(Tensor tensor) => $"[{string.Join(", ", tensor.shape)}]";
}
