namespace SearchSpaceDsl.Search.Optimizers;

/// <summary>Checks what studies and users tell optimizers: one finite value per objective, the same count every time.</summary>
internal struct ToldValues
{
    private int _objectives;

    /// <summary>The number of objectives, known after the first tell (0 before).</summary>
    public readonly int Objectives => _objectives;

    /// <summary>Validates <paramref name="values"/> and returns a copy.</summary>
    public double[] Check(ReadOnlySpan<double> values)
    {
        if (values.Length == 0)
            throw new ArgumentException("An evaluation must report at least one objective value.", nameof(values));
        if (_objectives != 0 && values.Length != _objectives)
            throw new ArgumentException($"This optimizer was told {_objectives} objective values before; got {values.Length}.", nameof(values));
        for (var i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
                throw new ArgumentException($"Objective value {i} is {values[i]}; report a failed evaluation with TellFailure instead.", nameof(values));
        }
        _objectives = values.Length;
        return values.ToArray();
    }
}
