namespace SearchSpaceDsl.Checkpoints;

/// <summary>One difference between a checkpoint file and a module's <c>state_dict()</c>.</summary>
/// <param name="Kind">What differs.</param>
/// <param name="Name">The tensor's name, as in <c>state_dict()</c> and in the file.</param>
/// <param name="Expected">
/// What the module has: its shape (<c>[4, 3]</c>) or dtype (<c>F32</c>); for a missing tensor both; <see langword="null"/>
/// for an unexpected one.
/// </param>
/// <param name="Found">
/// What the file has, in the same form; for an unexpected tensor both shape and dtype; <see langword="null"/> for a missing one.
/// </param>
public sealed record CheckpointMismatch(CheckpointMismatchKind Kind, string Name, string? Expected, string? Found)
{
    /// <summary>One line for people: the kind, the tensor's name, and what the module expects and the file has.</summary>
    public override string ToString() => Kind switch
    {
        CheckpointMismatchKind.Missing => $"missing tensor '{Name}' ({Expected}): the module has it, the file does not",
        CheckpointMismatchKind.Unexpected => $"unexpected tensor '{Name}' ({Found}): the file has it, the module does not",
        CheckpointMismatchKind.Shape => $"shape mismatch for '{Name}': the module expects {Expected}, the file has {Found}",
        CheckpointMismatchKind.DType => $"dtype mismatch for '{Name}': the module expects {Expected}, the file has {Found}",
        _ => $"{Kind} '{Name}': expected {Expected}, found {Found}",
    };
}
