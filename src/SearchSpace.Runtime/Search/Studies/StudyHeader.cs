namespace SearchSpaceDsl.Search;

/// <summary>What a study was created for; a study is reopened only with the same space and objectives.</summary>
/// <param name="FormatVersion">The storage format version.</param>
/// <param name="Space">The space's description text (its dimensions, choices and constraints).</param>
/// <param name="Objectives">The objectives' names and directions, in order.</param>
/// <param name="CreatedUtc">When the study was created.</param>
public sealed record StudyHeader(int FormatVersion, string Space, IReadOnlyList<ObjectiveInfo> Objectives, DateTimeOffset CreatedUtc)
{
    /// <summary>The format this version writes and reads.</summary>
    public const int CurrentFormatVersion = 1;
}

/// <summary>An objective's name and direction, as a study stores them.</summary>
/// <param name="Name">The objective's name.</param>
/// <param name="Direction">Whether smaller or larger is better.</param>
public sealed record ObjectiveInfo(string Name, ObjectiveDirection Direction)
{
    /// <inheritdoc />
    public override string ToString() => $"{Name} ({(Direction == ObjectiveDirection.Minimize ? "min" : "max")})";
}
