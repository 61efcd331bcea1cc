namespace SearchSpaceDsl.Checkpoints;

/// <summary>
/// A checkpoint file whose tensors do not match a module's <c>state_dict()</c>: the message lists every mismatch,
/// one a line, ordered by tensor name; <see cref="Mismatches"/> holds them for code. Nothing was loaded.
/// </summary>
public sealed class CheckpointMismatchException : CheckpointException
{
    /// <summary>The mismatches found between <paramref name="filePath"/> and a module.</summary>
    /// <param name="filePath">The checkpoint file.</param>
    /// <param name="mismatches">Every mismatch; at least one.</param>
    public CheckpointMismatchException(string filePath, IReadOnlyList<CheckpointMismatch> mismatches)
        : base(filePath, tensorName: null, Describe(mismatches))
    {
        Mismatches = mismatches;
    }

    /// <summary>Every mismatch, ordered by tensor name (ordinal), then by kind.</summary>
    public IReadOnlyList<CheckpointMismatch> Mismatches { get; }

    private static string Describe(IReadOnlyList<CheckpointMismatch> mismatches)
    {
        ArgumentNullException.ThrowIfNull(mismatches);
        string count = mismatches.Count == 1 ? "1 mismatch" : $"{mismatches.Count} mismatches";
        return $"does not match the module ({count}); nothing was loaded:"
            + string.Concat(mismatches.Select(m => Environment.NewLine + "  - " + m));
    }
}
