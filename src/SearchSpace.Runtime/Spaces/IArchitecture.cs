using System.ComponentModel;

namespace SearchSpaceDsl;

/// <summary>
/// A typed architecture generated from a <see cref="SearchSpaceAttribute"/> class. Generic code reaches the
/// space of any architecture type through <c>TArch.Space</c>.
/// </summary>
/// <typeparam name="TSelf">The architecture type itself.</typeparam>
public interface IArchitecture<TSelf> : IEquatable<TSelf>, IParsable<TSelf>
    where TSelf : class, IArchitecture<TSelf>
{
    /// <summary>The search space this architecture type belongs to.</summary>
    static abstract SearchSpace<TSelf> Space { get; }

    /// <summary>Builds the architecture a valid gene vector stands for.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    static abstract TSelf FromGenes(ReadOnlySpan<int> genes);

    /// <summary>
    /// Writes the genes of this architecture; returns false, and adds a message naming the dimension to
    /// <paramref name="errors"/> for each value that is not a choice or a per-layer length that does not match.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    bool TryWriteGenes(Span<int> genes, ICollection<string>? errors);
}
