namespace TinyGpt.Pipeline;

/// <summary>A failure of the pipeline whose message is meant for the user as it is (a missing file, a bad setting).</summary>
public sealed class PipelineException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PipelineException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public PipelineException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
