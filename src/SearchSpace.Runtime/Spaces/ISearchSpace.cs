using System.Numerics;

namespace SearchSpaceDsl;

/// <summary>What every search space offers without knowing its architecture type.</summary>
public interface ISearchSpace
{
    /// <summary>The dimensions, their choices and per-layer links.</summary>
    SearchSpaceDescription Description { get; }

    /// <summary>The exact number of effective architectures that satisfy the constraints.</summary>
    BigInteger Cardinality { get; }
}

/// <summary>The operations black-box optimizers and predictors need over a space of <typeparamref name="TArch"/>.</summary>
public interface ISearchSpace<TArch> : ISearchSpace
{
    /// <summary>Whether the architecture has a choice in every dimension, one value per active layer, and meets every constraint.</summary>
    bool IsValid(TArch architecture);

    /// <summary>Every reason the architecture is not a member, each naming its dimension or constraint; empty when valid.</summary>
    IReadOnlyList<string> Validate(TArch architecture);

    /// <summary>A member drawn uniformly from all effective architectures that satisfy the constraints.</summary>
    TArch Sample(Random random);

    /// <summary>Every member, in a stable order; for small spaces.</summary>
    IEnumerable<TArch> Enumerate();

    /// <summary>A valid member one step from <paramref name="architecture"/>: one active choice changed (a grown depth also draws its new layers).</summary>
    TArch Mutate(TArch architecture, Random random);

    /// <summary>A valid member whose every active choice comes from one of the two parents.</summary>
    TArch Crossover(TArch first, TArch second, Random random);

    /// <summary>The numeric vector of an architecture.</summary>
    double[] Encode(TArch architecture, EncodingKind kind = EncodingKind.Ordinal);

    /// <summary>The member a numeric vector stands for (nearest choice per position for ordinal, argmax for one-hot).</summary>
    TArch Decode(ReadOnlySpan<double> encoding, EncodingKind kind = EncodingKind.Ordinal);

    /// <summary>The member with the largest value in every dimension and the most layers.</summary>
    TArch Largest { get; }

    /// <summary>The member with the smallest value in every dimension and the fewest layers.</summary>
    TArch Smallest { get; }
}
