namespace SearchSpaceDsl.Search.Optimizers;

/// <summary>
/// An ask/tell optimizer over a search space: <see cref="Ask"/> proposes an architecture, the caller evaluates it
/// (possibly in parallel with other proposals) and reports the outcome with <see cref="Tell"/> or
/// <see cref="TellFailure"/>.
/// </summary>
/// <typeparam name="TArch">The architecture type.</typeparam>
/// <remarks>
/// <para>
/// Values are always told in <em>minimization form</em>: one entry per objective, where smaller is better (a study
/// negates maximized objectives before telling). Every value told is finite.
/// </para>
/// <para>
/// Contract every implementation keeps, which studies rely on to resume and to warm-start:
/// <list type="bullet">
/// <item>Determinism: for a given seed and the same sequence of calls, the same proposals.</item>
/// <item>A proposal may be abandoned: <see cref="Ask"/> may be called without a matching tell.</item>
/// <item>An architecture may be told that was never asked (a warm start from earlier trials).</item>
/// <item>Every proposal is a valid member of the space (constraints included).</item>
/// </list>
/// An optimizer is not thread-safe: one caller asks and tells.
/// </para>
/// </remarks>
public interface IOptimizer<TArch> where TArch : class
{
    /// <summary>
    /// A short description of the optimizer and every setting that changes its proposals (seed included), such as
    /// <c>NSGA-II(population=50, seed=1)</c>. A study stores it and replays its trials only into an optimizer with
    /// the same description.
    /// </summary>
    string Description { get; }

    /// <summary>The next architecture to evaluate.</summary>
    TArch Ask();

    /// <summary>Reports the objective values of an evaluated architecture.</summary>
    /// <param name="architecture">The evaluated architecture.</param>
    /// <param name="values">One finite value per objective, in minimization form.</param>
    void Tell(TArch architecture, ReadOnlySpan<double> values);

    /// <summary>Reports that evaluating an architecture failed (an exception or a non-finite value).</summary>
    void TellFailure(TArch architecture);
}
