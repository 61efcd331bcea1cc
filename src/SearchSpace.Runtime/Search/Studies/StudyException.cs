namespace SearchSpaceDsl.Search;

/// <summary>
/// A study cannot be opened or continued: its file is not a SQLite database, belongs to another application, is
/// corrupt, was written by a newer version, or holds a different space or objectives. Nothing is changed in the file.
/// </summary>
public sealed class StudyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StudyException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public StudyException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
