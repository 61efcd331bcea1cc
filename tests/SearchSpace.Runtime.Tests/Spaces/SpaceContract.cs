using System.Text.Json;

namespace SearchSpaceDsl.Tests.Spaces;

/// <summary>
/// What every generated space must satisfy, written once; each small test space runs it through a subclass.
/// The spaces are small enough to enumerate, so every property is checked against the full member list.
/// </summary>
public abstract class SpaceContract<TArch> where TArch : class, IArchitecture<TArch>
{
    private static SearchSpace<TArch> Space => TArch.Space;

    private static readonly List<TArch> Members = [.. Space.Enumerate()];

    [Fact]
    public void Cardinality_counts_every_enumerated_member_once()
    {
        Assert.Equal(Space.Cardinality, Members.Count);
        Assert.Equal(Members.Count, Members.Distinct().Count());
    }

    [Fact]
    public void Enumeration_is_stable_and_yields_only_valid_members()
    {
        Assert.Equal(Members, Space.Enumerate());
        Assert.All(Members, m => Assert.Empty(Space.Validate(m)));
    }

    [Fact]
    public void Sample_is_uniform_over_effective_members()
    {
        // Chi-square goodness of fit against the uniform distribution over all members.
        int perMember = 60, n = Members.Count * perMember;
        var random = new Random(12345);
        var counts = Members.ToDictionary(m => m, _ => 0);
        for (int i = 0; i < n; i++)
            counts[Space.Sample(random)]++;
        double chiSquare = counts.Values.Sum(c => (c - perMember) * (c - perMember) / (double)perMember);
        int df = Members.Count - 1;
        double critical = df + 3.09 * Math.Sqrt(2.0 * df); // about the 0.999 quantile (normal approximation)
        Assert.True(chiSquare < critical, $"chi-square {chiSquare:F1} with {df} degrees of freedom exceeds {critical:F1}");
    }

    [Fact]
    public void Mutate_gives_a_different_valid_member()
    {
        var random = new Random(1);
        foreach (var parent in Members)
        {
            var child = Space.Mutate(parent, random);
            Assert.True(Space.IsValid(child), string.Join(" ", Space.Validate(child)));
            Assert.NotEqual(parent, child);
        }
    }

    [Fact]
    public void Crossover_gives_valid_members()
    {
        var random = new Random(2);
        for (int i = 0; i < 2000; i++)
        {
            var child = Space.Crossover(Members[random.Next(Members.Count)], Members[random.Next(Members.Count)], random);
            Assert.True(Space.IsValid(child), string.Join(" ", Space.Validate(child)));
        }
    }

    [Theory]
    [InlineData(EncodingKind.Ordinal)]
    [InlineData(EncodingKind.OneHot)]
    public void Decode_inverts_Encode(EncodingKind kind)
    {
        foreach (var member in Members)
        {
            var encoding = Space.Encode(member, kind);
            Assert.Equal(Space.Description.EncodingLength(kind), encoding.Length);
            Assert.Equal(member, Space.Decode(encoding, kind));
        }
    }

    [Theory]
    [InlineData(EncodingKind.Ordinal)]
    [InlineData(EncodingKind.OneHot)]
    public void Decode_of_any_vector_is_valid_or_names_the_violated_constraint(EncodingKind kind)
    {
        var random = new Random(3);
        int length = Space.Description.EncodingLength(kind);
        for (int i = 0; i < 2000; i++)
        {
            var vector = Enumerable.Range(0, length).Select(_ => random.NextDouble() * 40 - 4).ToArray();
            try
            {
                Assert.True(Space.IsValid(Space.Decode(vector, kind)));
            }
            catch (ArgumentException e)
            {
                Assert.Contains("constraint", e.Message);
            }
        }
    }

    [Fact]
    public void Parse_reads_back_the_canonical_string()
    {
        foreach (var member in Members)
        {
            Assert.Equal(member, TArch.Parse(member.ToString()!, null));
            Assert.Equal(member, Space.Parse(member.ToString()!));
        }
    }

    [Fact]
    public void Json_round_trips()
    {
        foreach (var member in Members)
            Assert.Equal(member, JsonSerializer.Deserialize<TArch>(JsonSerializer.Serialize(member)));
    }

    [Fact]
    public void Equal_members_have_equal_hash_codes()
    {
        foreach (var member in Members)
        {
            var copy = Space.Parse(member.ToString()!);
            Assert.NotSame(member, copy);
            Assert.True(member.Equals(copy));
            Assert.Equal(member.GetHashCode(), copy.GetHashCode());
        }
    }

    [Fact]
    public void Largest_and_smallest_are_members_at_the_extremes()
    {
        Assert.True(Space.IsValid(Space.Largest));
        Assert.True(Space.IsValid(Space.Smallest));
        var largest = Space.Encode(Space.Largest);
        var smallest = Space.Encode(Space.Smallest);
        foreach (var member in Members)
        {
            var encoding = Space.Encode(member);
            for (int k = 0; k < encoding.Length; k++)
            {
                Assert.True(encoding[k] <= largest[k] || encoding[k] == 0, $"{member} exceeds the largest at {k}");
                Assert.True(encoding[k] >= smallest[k] || smallest[k] == 0, $"{member} is below the smallest at {k}");
            }
        }
    }

    [Fact]
    public void Feature_names_cover_the_encodings()
    {
        foreach (var kind in new[] { EncodingKind.Ordinal, EncodingKind.OneHot })
        {
            var names = Space.Description.FeatureNames(kind);
            Assert.Equal(Space.Description.EncodingLength(kind), names.Length);
            Assert.Equal(names.Length, names.Distinct().Count());
        }
    }
}

public sealed class TinySpaceContract : SpaceContract<TinySpace>;

public sealed class ConstrainedSpaceContract : SpaceContract<ConstrainedSpace>;

public sealed class RecordSpaceContract : SpaceContract<Nested.RecordSpace>;
