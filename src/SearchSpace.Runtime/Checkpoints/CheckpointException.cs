namespace SearchSpaceDsl.Checkpoints;

/// <summary>
/// A checkpoint file that cannot be read as written, or that does not fit what it is loaded into. The message names
/// the file and, where one tensor is at fault, that tensor; <see cref="FilePath"/> and <see cref="TensorName"/> hold
/// the same for code. Derives from <see cref="IOException"/> (<see cref="InvalidDataException"/> is sealed), so
/// handlers of file errors catch it too.
/// </summary>
public class CheckpointException : IOException
{
    /// <summary>A problem with the file at <paramref name="filePath"/> as a whole, or with one of its tensors.</summary>
    /// <param name="filePath">The checkpoint file.</param>
    /// <param name="tensorName">The tensor at fault, or <see langword="null"/> when the problem is not one tensor's.</param>
    /// <param name="detail">What is wrong, as a sentence; the file and the tensor are put in front of it.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public CheckpointException(string filePath, string? tensorName, string detail, Exception? innerException = null)
        : base(Compose(filePath, tensorName, detail), innerException)
    {
        FilePath = filePath;
        TensorName = tensorName;
    }

    /// <summary>The checkpoint file the problem is in.</summary>
    public string FilePath { get; }

    /// <summary>The tensor at fault, or <see langword="null"/> when the problem is not a single tensor's.</summary>
    public string? TensorName { get; }

    private static string Compose(string filePath, string? tensorName, string detail) =>
        tensorName is null
            ? $"Checkpoint '{filePath}': {detail}"
            : $"Checkpoint '{filePath}', tensor '{tensorName}': {detail}";
}
