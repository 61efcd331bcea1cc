namespace SearchSpaceDsl;

/// <summary>Operations over any search space.</summary>
public static class SearchSpaceExtensions
{
    /// <summary>
    /// The members of <paramref name="space"/> that meet a run-time condition, such as a parameter budget
    /// (<c>TinyGptArchitecture.Space.Where(a => TinyGptModel.CountParameters(a) &lt;= 500_000, "parameters ≤ 500k")</c>).
    /// </summary>
    public static FilteredSearchSpace<TArch> Where<TArch>(this ISearchSpace<TArch> space, Func<TArch, bool> condition, string name) =>
        new(space, condition, name);
}
