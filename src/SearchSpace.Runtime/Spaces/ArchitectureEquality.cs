using System.Collections.Immutable;
using System.ComponentModel;

namespace SearchSpaceDsl;

/// <summary>Value equality of per-layer choices, for generated <c>Equals</c> and <c>GetHashCode</c>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ArchitectureEquality
{
    /// <summary>Whether two per-layer values hold the same values (an unset array equals only another unset one).</summary>
    public static bool SequenceEqual<T>(ImmutableArray<T> left, ImmutableArray<T> right) where T : struct =>
        left.IsDefault || right.IsDefault ? left.IsDefault == right.IsDefault : left.AsSpan().SequenceEqual(right.AsSpan());

    /// <summary>Adds every value of a per-layer choice to a hash.</summary>
    public static void AddTo<T>(ref HashCode hash, ImmutableArray<T> values) where T : struct
    {
        hash.Add(values.IsDefault ? -1 : values.Length);
        if (values.IsDefault)
            return;
        foreach (var value in values)
            hash.Add(value);
    }
}
