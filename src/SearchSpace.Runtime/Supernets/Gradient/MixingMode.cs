using TorchSharp;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Supernets.Gradient;

/// <summary>
/// How architecture parameters become the option weights of a forward: DARTS (softmax), GDAS (hard Gumbel-softmax,
/// straight-through) or DrNAS (Dirichlet samples, reparameterised). Every mode works on one logit vector per gene
/// position; the derived architecture is the argmax of each vector in every mode.
/// </summary>
public abstract class MixingMode
{
    private protected MixingMode()
    {
    }

    /// <summary>The mode's name, as in the papers.</summary>
    public abstract string Name { get; }

    /// <summary>DARTS: the weights are <c>softmax(α)</c>.</summary>
    public static MixingMode Darts() => new DartsMixing();

    /// <summary>GDAS: a one-hot sample of <c>softmax((α + g) / τ)</c> in the forward, its soft gradient in the backward.</summary>
    /// <param name="temperature">The temperature over the search; default GDAS's 10 → 0.1, linear.</param>
    public static MixingMode Gdas(TemperatureSchedule? temperature = null) => new GdasMixing(temperature ?? new TemperatureSchedule(10, 0.1));

    /// <summary>DrNAS: a reparameterised sample of <c>Dirichlet(softplus(β))</c>.</summary>
    public static MixingMode DrNas() => new DrNasMixing();

    /// <summary>
    /// The weights of one forward for one gene position, differentiable in <paramref name="logits"/>.
    /// </summary>
    /// <param name="logits">The position's logits (a vector).</param>
    /// <param name="progress">How far the search is, 0 … 1 (for a temperature schedule).</param>
    /// <param name="generator">The random source of sampling modes; null for the global one.</param>
    public abstract Tensor Sample(Tensor logits, double progress, Generator? generator);

    /// <summary>The distribution's mean weights (softmax, or the Dirichlet mean), for records and evaluation.</summary>
    public abstract Tensor Probabilities(Tensor logits);

    /// <summary>The temperature at <paramref name="progress"/>, or NaN for modes without one.</summary>
    public virtual double TemperatureAt(double progress) => double.NaN;

    /// <summary>
    /// The mixture of one forward: <see cref="Sample"/> for every gene position's logits.
    /// </summary>
    /// <param name="description">The space.</param>
    /// <param name="logits">One logit vector per gene position, in gene order.</param>
    /// <param name="progress">How far the search is, 0 … 1.</param>
    /// <param name="generator">The random source; null for the global one.</param>
    public ArchitectureMixture Mix(SearchSpaceDescription description, IReadOnlyList<Tensor> logits, double progress, Generator? generator)
    {
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(logits);
        var weights = new Tensor[logits.Count];
        for (int g = 0; g < logits.Count; g++)
            weights[g] = Sample(logits[g], progress, generator);
        return new ArchitectureMixture(description, weights);
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>DARTS (Liu et al., 2019): continuous relaxation by a softmax over the options.</summary>
internal sealed class DartsMixing : MixingMode
{
    public override string Name => "DARTS";

    public override Tensor Sample(Tensor logits, double progress, Generator? generator) => Probabilities(logits);

    public override Tensor Probabilities(Tensor logits) => nn.functional.softmax(logits, 0);
}

/// <summary>
/// GDAS (Dong and Yang, 2019): <c>h = one_hot(argmax y) − sg(y) + y</c> with <c>y = softmax((α + g) / τ)</c> and Gumbel
/// noise <c>g = −log(−log u)</c>: the forward sees one option, the backward the gradient of the soft sample.
/// </summary>
internal sealed class GdasMixing : MixingMode
{
    public GdasMixing(TemperatureSchedule temperature) => Temperature = temperature;

    public TemperatureSchedule Temperature { get; }

    public override string Name => "GDAS";

    public override double TemperatureAt(double progress) => Temperature.At(progress);

    public override Tensor Sample(Tensor logits, double progress, Generator? generator)
    {
        double tau = Temperature.At(progress);
        TemperatureSchedule.CheckTemperature(tau, nameof(progress));
        using var scope = NewDisposeScope();
        var u = rand(logits.shape, dtype: logits.dtype, device: logits.device, generator: generator).clamp(1e-10, 1 - 1e-7);
        var gumbel = u.log().neg().log().neg();
        var soft = nn.functional.softmax(logits.add(gumbel).div(tau), 0);
        var hard = nn.functional.one_hot(soft.argmax(0), soft.size(0)).to_type(soft.dtype);
        return hard.sub(soft.detach()).add(soft).MoveToOuterDisposeScope();
    }

    public override Tensor Probabilities(Tensor logits) => nn.functional.softmax(logits, 0);
}

/// <summary>
/// DrNAS (Chen et al., 2021): option weights drawn from <c>Dirichlet(softplus(β))</c> with reparameterised gradients:
/// <c>γᵢ ~ Gamma(concentrationᵢ)</c> through libtorch's <c>_standard_gamma</c>, whose backward is the implicit
/// reparameterisation gradient, then <c>γ / Σγ</c>.
/// </summary>
internal sealed class DrNasMixing : MixingMode
{
    // Keeps the concentration away from 0, where Gamma samples underflow to exactly 0 for every option.
    private const double MinConcentration = 1e-3;

    public override string Name => "DrNAS";

    public override Tensor Sample(Tensor logits, double progress, Generator? generator)
    {
        using var scope = NewDisposeScope();
        var concentration = Concentration(logits);
        var gamma = _standard_gamma(concentration, generator).clamp_min(1e-30);
        return gamma.div(gamma.sum()).MoveToOuterDisposeScope();
    }

    public override Tensor Probabilities(Tensor logits)
    {
        using var scope = NewDisposeScope();
        var concentration = Concentration(logits);
        return concentration.div(concentration.sum()).MoveToOuterDisposeScope();
    }

    private static Tensor Concentration(Tensor logits) => nn.functional.softplus(logits).add(MinConcentration);
}
