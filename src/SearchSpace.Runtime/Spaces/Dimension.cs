using System.Collections.Immutable;

namespace SearchSpaceDsl;

/// <summary>
/// One searchable dimension of a space, described without generics so that tools and optimizers can walk any
/// space: its name, choices, and, for a per-layer choice, the depth that decides how many layers are active.
/// </summary>
public abstract class Dimension
{
    private protected Dimension(string name, ChoiceKind kind, Type valueType, string? perLayerOf)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Kind = kind;
        ValueType = valueType;
        PerLayerOf = perLayerOf;
    }

    /// <summary>The property name.</summary>
    public string Name { get; }

    /// <summary>The value type of the choices.</summary>
    public ChoiceKind Kind { get; }

    /// <summary>The CLR type of one value (for enums, the enum type).</summary>
    public Type ValueType { get; }

    /// <summary>The choices, boxed, in gene order.</summary>
    public abstract IReadOnlyList<object> Choices { get; }

    /// <summary>The number of choices.</summary>
    public int Count => Ordinals.Length;

    /// <summary>The ordinal encoding of each choice: the value for numbers, 0/1 for bool, the index for enums.</summary>
    public ImmutableArray<double> Ordinals { get; private protected set; }

    /// <summary>The name of the depth choice this per-layer choice follows, or null for a scalar choice.</summary>
    public string? PerLayerOf { get; }

    /// <summary>Whether this is a per-layer choice.</summary>
    public bool IsPerLayer => PerLayerOf is not null;

    /// <summary>The depth dimension of a per-layer choice, or null.</summary>
    public Dimension? Depth { get; private set; }

    /// <summary>Whether some per-layer choice follows this dimension.</summary>
    public bool IsDepth { get; private set; }

    /// <summary>The number of layer slots: the largest depth for a per-layer choice, otherwise 1.</summary>
    public int Slots { get; private set; } = 1;

    /// <summary>The index of this dimension's first gene in a space's gene vector.</summary>
    public int GeneOffset { get; private set; } = -1;

    /// <summary>The index of the choice with the smallest ordinal value.</summary>
    public int SmallestIndex => IndexOfExtreme(largest: false);

    /// <summary>The index of the choice with the largest ordinal value (true for bool, the last member for enums).</summary>
    public int LargestIndex => IndexOfExtreme(largest: true);

    /// <summary>The depth value (number of active layers) a gene of this depth dimension stands for.</summary>
    public int DepthAt(int gene) => (int)Ordinals[gene];

    /// <summary>A choice written in the canonical string form.</summary>
    public abstract string FormatChoice(int index);

    /// <summary>The choice index of a value written in the canonical string form, or -1.</summary>
    public abstract int ParseChoice(string text);

    /// <summary>The description of the choices used in error messages, for example <c>{192, 384, 768}</c>.</summary>
    public string ChoicesText => "{" + string.Join(", ", Enumerable.Range(0, Count).Select(FormatChoice)) + "}";

    internal void Bind(int geneOffset, Dimension? depth)
    {
        if (GeneOffset >= 0)
            throw new InvalidOperationException($"Dimension '{Name}' already belongs to a search space.");
        GeneOffset = geneOffset;
        Depth = depth;
        if (depth is not null)
        {
            depth.IsDepth = true;
            Slots = (int)depth.Ordinals.Max();
        }
    }

    private int IndexOfExtreme(bool largest)
    {
        int best = 0;
        for (int i = 1; i < Count; i++)
        {
            if (largest ? Ordinals[i] > Ordinals[best] : Ordinals[i] < Ordinals[best])
                best = i;
        }
        return best;
    }

    /// <inheritdoc />
    public override string ToString() =>
        IsPerLayer ? $"{Name} per layer of {PerLayerOf} {ChoicesText}" : $"{Name} {ChoicesText}";
}
