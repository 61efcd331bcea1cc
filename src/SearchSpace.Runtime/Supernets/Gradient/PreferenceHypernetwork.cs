using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Supernets.Gradient;

/// <summary>
/// MODNAS's hypernetwork: a small MLP (Linear → ReLU → Linear) from a preference vector over the objectives, followed by
/// an optional hardware feature vector, to every architecture logit (one-hot encoding order). Initialised from a seed by
/// a private generator, with a near-zero last layer so that the first mixtures are close to uniform.
/// </summary>
public sealed class PreferenceHypernetwork : nn.Module<Tensor, Tensor>
{
    private readonly Linear hidden;
    private readonly Linear output;

    /// <summary>Creates the network.</summary>
    /// <param name="inputs">Objectives plus hardware features.</param>
    /// <param name="outputs">Architecture logits.</param>
    /// <param name="hiddenUnits">The hidden width.</param>
    /// <param name="seed">The seed of the initial weights.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    public PreferenceHypernetwork(int inputs, int outputs, int hiddenUnits = 32, int seed = 0) : base("hypernetwork")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenUnits, 1);
        hidden = nn.Linear(inputs, hiddenUnits);
        output = nn.Linear(hiddenUnits, outputs);
        RegisterComponents();
        using var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        hidden.weight!.normal_(0, 1 / Math.Sqrt(inputs), generator);
        hidden.bias!.normal_(0, 0.5, generator);
        output.weight!.normal_(0, 1e-2 / Math.Sqrt(hiddenUnits), generator);
        output.bias!.zero_();
    }

    /// <summary>The logits for one input vector <c>[inputs]</c> (or a batch <c>[n, inputs]</c>).</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return output.forward(nn.functional.relu(hidden.forward(input))).MoveToOuterDisposeScope();
    }
}
