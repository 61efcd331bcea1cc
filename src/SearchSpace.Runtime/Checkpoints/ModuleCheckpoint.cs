using TorchSharp;

namespace SearchSpaceDsl.Checkpoints;

/// <summary>
/// Saves a module's <c>state_dict()</c> (parameters and persistent buffers, by their dotted names) as a safetensors
/// file, and loads such a file back into a module of the same structure, bit for bit.
/// </summary>
public static class ModuleCheckpoint
{
    /// <summary>
    /// Writes <paramref name="module"/>'s <c>state_dict()</c> to <paramref name="path"/> atomically; see
    /// <see cref="SafeTensorsFile.Save"/>. The module is not changed.
    /// </summary>
    /// <param name="module">The module; its tensors may be on any device.</param>
    /// <param name="path">The file to write; an existing file is replaced only once the new one is complete.</param>
    /// <param name="metadata">Strings kept in the file's header, returned by <see cref="Load"/>.</param>
    public static void Save(torch.nn.Module module, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        SafeTensorsFile.Save(path, module.state_dict(), metadata);
    }

    /// <summary>
    /// Loads <paramref name="path"/> into <paramref name="module"/>: the file must have exactly the tensors of the
    /// module's <c>state_dict()</c>, with the same shapes and dtypes. If anything differs, one
    /// <see cref="CheckpointMismatchException"/> lists every missing, unexpected, mis-shaped and mis-typed tensor, and
    /// the module is not changed. Otherwise every tensor is read into CPU memory first (so a read error also leaves the
    /// module unchanged; this needs memory for one copy of the state), then copied into the module's own tensors in
    /// place, under <c>torch.no_grad()</c>, on whatever device they are.
    /// </summary>
    /// <returns>The file's metadata; empty when it has none.</returns>
    /// <exception cref="CheckpointMismatchException">The file does not match the module; nothing was loaded.</exception>
    /// <exception cref="CheckpointException">The file is not a valid safetensors file; nothing was loaded.</exception>
    public static IReadOnlyDictionary<string, string> Load(torch.nn.Module module, string path)
    {
        ArgumentNullException.ThrowIfNull(module);
        var targets = module.state_dict();
        using var content = SafeTensorsFile.Read(path);
        var mismatches = Compare(targets, content);
        if (mismatches.Count > 0)
            throw new CheckpointMismatchException(content.Path, mismatches);

        var staged = new List<(torch.Tensor Target, torch.Tensor Value)>(content.Entries.Count);
        try
        {
            foreach (var entry in content.Entries)
                staged.Add((targets[entry.Name], content.Load(entry.Name)));
            using (torch.no_grad())
            {
                foreach (var (target, value) in staged)
                    target.copy_(value);
            }
        }
        finally
        {
            foreach (var (_, value) in staged)
                value.Dispose();
        }
        return content.Metadata;
    }

    /// <summary>Every difference between the module's tensors and the file's, ordered by name (ordinal), then kind.</summary>
    private static List<CheckpointMismatch> Compare(Dictionary<string, torch.Tensor> targets, SafeTensorsContent content)
    {
        var mismatches = new List<CheckpointMismatch>();
        var names = targets.Keys.Concat(content.Entries.Select(e => e.Name)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (string name in names)
        {
            bool inModule = targets.TryGetValue(name, out var target);
            bool inFile = content.TryGetEntry(name, out var entry);
            if (!inFile)
            {
                mismatches.Add(new(CheckpointMismatchKind.Missing, name, $"{SafeTensorsDType.Describe(target!.dtype)} {SafeTensorsDType.FormatShape(target.shape)}", null));
                continue;
            }
            if (!inModule)
            {
                mismatches.Add(new(CheckpointMismatchKind.Unexpected, name, null, $"{entry!.DType} {SafeTensorsDType.FormatShape(entry.Shape)}"));
                continue;
            }
            if (!target!.shape.SequenceEqual(entry!.Shape))
                mismatches.Add(new(CheckpointMismatchKind.Shape, name, SafeTensorsDType.FormatShape(target.shape), SafeTensorsDType.FormatShape(entry.Shape)));
            if (target.dtype != entry.ScalarType)
                mismatches.Add(new(CheckpointMismatchKind.DType, name, SafeTensorsDType.Describe(target.dtype), entry.DType));
        }
        return mismatches;
    }
}
