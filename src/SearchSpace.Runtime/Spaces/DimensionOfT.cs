using System.Collections.Immutable;
using System.ComponentModel;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SearchSpaceDsl;

/// <summary>
/// A dimension whose choices are values of <typeparamref name="T"/> (int, double, bool or an enum). Generated
/// architectures use it to convert between their typed properties and genes (choice indices).
/// </summary>
public sealed class Dimension<T> : Dimension where T : struct
{
    private readonly T[] _values;

    // For integral values (int, bool, enums) with a compact range: value - _lookupMin → gene, or -1. A table read has
    // no data-dependent branch, which matters for per-layer values (a search loop's inner loop).
    private readonly int[]? _lookup;
    private readonly long _lookupMin;

    /// <summary>Creates a dimension; generated code calls this with the choices of a <see cref="ChoiceAttribute"/>.</summary>
    public Dimension(string name, ImmutableArray<T> values, string? perLayerOf = null)
        : base(name, KindOf(name), typeof(T), perLayerOf)
    {
        if (values.IsDefaultOrEmpty)
            throw new ArgumentException($"Dimension '{name}' needs at least one choice.", nameof(values));
        _values = [.. values];
        for (int i = 0; i < _values.Length; i++)
        {
            if (Array.IndexOf(_values, _values[i]) != i)
                throw new ArgumentException($"Dimension '{name}' lists the choice {Format(_values[i])} twice.", nameof(values));
        }
        Values = values;
        (_lookup, _lookupMin) = BuildLookup(_values);
        Ordinals = [.. _values.Select(OrdinalOf)];
        Choices = [.. _values.Select(v => (object)v)];
    }

    /// <summary>The choices in gene order.</summary>
    public ImmutableArray<T> Values { get; }

    /// <inheritdoc />
    public override IReadOnlyList<object> Choices { get; }

    /// <summary>The gene (choice index) of a value, or -1 when it is not a choice.</summary>
    public int IndexOf(T value)
    {
        if (_lookup is { } lookup)
        {
            ulong key = (ulong)(KeyOf(value) - _lookupMin);
            return key < (ulong)lookup.Length ? lookup[key] : -1;
        }
        var values = _values;
        for (int i = 0; i < values.Length; i++)
        {
            if (EqualityComparer<T>.Default.Equals(values[i], value))
                return i;
        }
        return -1;
    }

    /// <summary>The value of a scalar dimension in a gene vector.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public T ValueAt(ReadOnlySpan<int> genes) => _values[genes[GeneOffset]];

    /// <summary>The values of the first <paramref name="depth"/> layers of a per-layer dimension in a gene vector.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public ImmutableArray<T> ValuesAt(ReadOnlySpan<int> genes, int depth)
    {
        var layers = new T[depth];
        var slots = genes.Slice(GeneOffset, depth);
        for (int i = 0; i < layers.Length; i++)
            layers[i] = _values[slots[i]];
        return ImmutableCollectionsMarshal.AsImmutableArray(layers);
    }

    /// <summary>Writes the gene of a scalar value; reports a value that is not a choice.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public bool Write(Span<int> genes, T value, ICollection<string>? errors)
    {
        int index = IndexOf(value);
        genes[GeneOffset] = Math.Max(index, 0);
        if (index >= 0)
            return true;
        errors?.Add($"{Name}: {Format(value)} is not one of the choices {ChoicesText}.");
        return false;
    }

    /// <summary>Writes the genes of a per-layer value; reports a wrong length and values that are not choices.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public bool Write(Span<int> genes, ImmutableArray<T> values, int depth, ICollection<string>? errors)
    {
        var slots = genes.Slice(GeneOffset, Slots);
        slots.Clear();
        if (values.IsDefault)
        {
            errors?.Add($"{Name}: is not set; it needs one value for each of the {depth} layers of {PerLayerOf}.");
            return false;
        }
        bool ok = true;
        if (values.Length != depth)
        {
            errors?.Add($"{Name}: has {values.Length} values, but {PerLayerOf} is {depth}; give exactly one value per active layer.");
            ok = false;
        }
        for (int i = 0; i < values.Length && i < slots.Length; i++)
        {
            int index = IndexOf(values[i]);
            if (index < 0)
            {
                errors?.Add($"{Name}[{i}]: {Format(values[i])} is not one of the choices {ChoicesText}.");
                ok = false;
            }
            slots[i] = Math.Max(index, 0);
        }
        return ok;
    }

    /// <summary>The canonical text of a scalar value: <c>Name=value</c>.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public string Format(string name, T value) => name + "=" + Format(value);

    /// <summary>The canonical text of a per-layer value: <c>Name=[v0, v1, …]</c>.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public string Format(string name, ImmutableArray<T> values) =>
        name + "=[" + (values.IsDefault ? "" : string.Join(", ", values.Select(Format))) + "]";

    /// <inheritdoc />
    public override string FormatChoice(int index) => Format(_values[index]);

    /// <inheritdoc />
    public override int ParseChoice(string text) => TryParseValue(text.Trim(), out var value) ? IndexOf(value) : -1;

    /// <summary>Formats one value in the canonical, culture-invariant form.</summary>
    public static string Format(T value) => value switch
    {
        int i => i.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => value.ToString()!,
    };

    private static bool TryParseValue(string text, out T value)
    {
        value = default;
        object? parsed = default(T) switch
        {
            int => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) ? i : null,
            double => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : null,
            bool => bool.TryParse(text, out bool b) ? b : null,
            _ => Enum.TryParse(typeof(T), text, ignoreCase: false, out object? e) && Enum.IsDefined(typeof(T), e!) ? e : null,
        };
        if (parsed is null)
            return false;
        value = (T)parsed;
        return true;
    }

    private static (int[]? Lookup, long Min) BuildLookup(T[] values)
    {
        const int MaxRange = 4096;
        if (typeof(T) == typeof(double))
            return (null, 0);
        long min = values.Min(KeyOf), max = values.Max(KeyOf);
        if (max - min >= MaxRange)
            return (null, 0);
        var lookup = new int[max - min + 1];
        Array.Fill(lookup, -1);
        for (int i = 0; i < values.Length; i++)
            lookup[KeyOf(values[i]) - min] = i;
        return (lookup, min);
    }

    // The integral value of an int, bool or enum (any underlying size); the JIT folds the switch per T.
    private static long KeyOf(T value) => Unsafe.SizeOf<T>() switch
    {
        1 => Unsafe.As<T, byte>(ref value),
        2 => Unsafe.As<T, short>(ref value),
        4 => Unsafe.As<T, int>(ref value),
        _ => Unsafe.As<T, long>(ref value),
    };

    private double OrdinalOf(T value) => value switch
    {
        int i => i,
        double d => d,
        bool b => b ? 1 : 0,
        _ => Array.IndexOf(_values, value),
    };

    private static ChoiceKind KindOf(string name) =>
        typeof(T) == typeof(int) ? ChoiceKind.Int
        : typeof(T) == typeof(double) ? ChoiceKind.Double
        : typeof(T) == typeof(bool) ? ChoiceKind.Bool
        : typeof(T).IsEnum ? ChoiceKind.Enum
        : throw new ArgumentException($"Dimension '{name}' has choices of type {typeof(T).Name}; use int, double, bool or an enum.");
}
