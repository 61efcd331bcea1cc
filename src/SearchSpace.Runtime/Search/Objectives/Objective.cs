using System.Text.RegularExpressions;

namespace SearchSpaceDsl.Search;

/// <summary>
/// One objective of a search: a named function of an architecture, minimized or maximized. A study measures every
/// objective of each trial in order and records the values in their own units; optimizers see them in minimization
/// form (<see cref="ToMinimization"/>).
/// </summary>
/// <typeparam name="TArch">The architecture type.</typeparam>
/// <remarks>With more than one worker a study measures several architectures at once: the function must then be thread-safe.</remarks>
public sealed partial class Objective<TArch>
{
    private readonly Func<TArch, Measurement> _measure;

    /// <summary>Creates an objective.</summary>
    /// <param name="name">A name of letters, digits, '_', '-' or '.', unique within a study (it names columns in exports).</param>
    /// <param name="direction">Whether smaller or larger is better.</param>
    /// <param name="measure">Measures one architecture.</param>
    /// <exception cref="ArgumentException">The name is empty or has other characters.</exception>
    public Objective(string name, ObjectiveDirection direction, Func<TArch, Measurement> measure)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(measure);
        if (!NamePattern().IsMatch(name))
            throw new ArgumentException($"The objective name '{name}' must be non-empty and hold only letters, digits, '_', '-' or '.'.", nameof(name));
        if (!Enum.IsDefined(direction))
            throw new ArgumentException($"Unknown objective direction {(int)direction}.", nameof(direction));
        Name = name;
        Direction = direction;
        _measure = measure;
    }

    /// <summary>The objective's name.</summary>
    public string Name { get; }

    /// <summary>Whether smaller or larger is better.</summary>
    public ObjectiveDirection Direction { get; }

    /// <summary>An objective to minimize.</summary>
    public static Objective<TArch> Minimize(string name, Func<TArch, double> measure)
    {
        ArgumentNullException.ThrowIfNull(measure);
        return new(name, ObjectiveDirection.Minimize, a => measure(a));
    }

    /// <summary>An objective to maximize.</summary>
    public static Objective<TArch> Maximize(string name, Func<TArch, double> measure)
    {
        ArgumentNullException.ThrowIfNull(measure);
        return new(name, ObjectiveDirection.Maximize, a => measure(a));
    }

    /// <summary>Measures one architecture.</summary>
    public Measurement Measure(TArch architecture) => _measure(architecture);

    /// <summary>The value an optimizer sees: unchanged when minimized, negated when maximized.</summary>
    public double ToMinimization(double value) => Direction == ObjectiveDirection.Minimize ? value : -value;

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({(Direction == ObjectiveDirection.Minimize ? "min" : "max")})";

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]+$")]
    private static partial Regex NamePattern();
}
