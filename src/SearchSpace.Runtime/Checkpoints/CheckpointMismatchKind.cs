namespace SearchSpaceDsl.Checkpoints;

/// <summary>How a tensor of a checkpoint file differs from the tensor of the same name in a module.</summary>
public enum CheckpointMismatchKind
{
    /// <summary>The module has the tensor; the file does not.</summary>
    Missing,

    /// <summary>The file has the tensor; the module does not.</summary>
    Unexpected,

    /// <summary>Both have the tensor, with different shapes.</summary>
    Shape,

    /// <summary>Both have the tensor, with different element types.</summary>
    DType,
}
