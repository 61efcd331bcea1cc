using TorchSharp;
using TorchSharp.Modules;
using SearchSpaceDsl.Supernets.Gradient;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Supernets;

/// <summary>
/// A linear layer of a weight-entangled supernet. It holds <c>W[outMax, inMax]</c> and <c>b[outMax]</c>; a
/// sub-network with <c>in</c> inputs and <c>out</c> outputs uses <c>W[:out, :in]</c> and <c>b[:out]</c>
/// (BRIEF section 3), read through <c>narrow</c> views of the max-size weights: nothing is copied, and gradients land
/// in the active slice only.
/// </summary>
/// <remarks>
/// Initialisation is that of <c>torch.nn.Linear(inMax, outMax)</c>: kaiming-uniform with <c>a = √5</c> for the weight
/// and <c>U(−1/√inMax, 1/√inMax)</c> for the bias, drawn from the global generator in the same order, so that under the
/// same <c>torch.manual_seed</c> the max-size weights equal those of <c>nn.Linear(inMax, outMax)</c>. State-dict
/// names: <c>weight</c>, <c>bias</c> (absent without bias).
/// </remarks>
public sealed class EntangledLinear : nn.Module<Tensor, Tensor>, IEntangledModule, IMixableModule
{
    // Field names are the state-dict names (RegisterComponents).
    private Parameter weight;
    private Parameter? bias;

    private readonly string _name;
    private int _activeIn;
    private int _activeOut;
    private bool _activeBias;
    private SizeDistribution? _mixIn;
    private SizeDistribution? _mixOut;
    private SizeDistribution? _mixBias;
    private bool _mixed;

    /// <summary>Creates the layer at its largest size (every size active, bias on when it has one).</summary>
    /// <param name="name">The module name; error messages name the layer by it.</param>
    /// <param name="inMax">The largest number of input features.</param>
    /// <param name="outMax">The largest number of output features.</param>
    /// <param name="hasBias">Whether the layer holds a bias (a sub-network may still switch it off).</param>
    /// <param name="device">The device of the weights (the default device when null).</param>
    /// <param name="dtype">The element type of the weights (the default dtype when null).</param>
    public EntangledLinear(string name, int inMax, int outMax, bool hasBias, Device? device = null, ScalarType? dtype = null)
        : base(EntangledSlicing.LayerName(name))
    {
        _name = name;
        EntangledSlicing.CheckMaxSize(name, nameof(inMax), "input features", inMax);
        EntangledSlicing.CheckMaxSize(name, nameof(outMax), "output features", outMax);
        InMax = inMax;
        OutMax = outMax;

        var w = torch.empty(new long[] { outMax, inMax }, dtype: dtype, device: device);
        nn.init.kaiming_uniform_(w, a: Math.Sqrt(5));
        weight = EntangledSlicing.OwnedParameter(w);
        if (hasBias)
        {
            var b = torch.empty(new long[] { outMax }, dtype: dtype, device: device);
            var bound = 1 / Math.Sqrt(inMax);
            nn.init.uniform_(b, -bound, bound);
            bias = EntangledSlicing.OwnedParameter(b);
        }

        _activeIn = inMax;
        _activeOut = outMax;
        _activeBias = hasBias;
        RegisterComponents();
    }

    /// <summary>The largest number of input features.</summary>
    public int InMax { get; }

    /// <summary>The largest number of output features.</summary>
    public int OutMax { get; }

    /// <summary>Whether the layer holds a bias.</summary>
    public bool HasBias => bias is not null;

    /// <summary>The active number of input features.</summary>
    public int ActiveIn => _activeIn;

    /// <summary>The active number of output features.</summary>
    public int ActiveOut => _activeOut;

    /// <summary>Whether the active sub-network adds the bias (false when the layer has none).</summary>
    public bool ActiveBias => _activeBias;

    /// <summary>The max-size weight <c>W[outMax, inMax]</c>.</summary>
    public Parameter Weight => weight;

    /// <summary>The max-size bias <c>b[outMax]</c>, or null when the layer has none.</summary>
    public Parameter? Bias => bias;

    /// <inheritdoc />
    public long ActiveParameterCount => CountParameters(_activeIn, _activeOut, _activeBias);

    /// <summary>The parameters of a linear layer: <c>in·out</c> weights, plus <c>out</c> biases with a bias.</summary>
    /// <param name="inFeatures">Input features, at least 1.</param>
    /// <param name="outFeatures">Output features, at least 1.</param>
    /// <param name="bias">Whether the layer adds a bias.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    public static long CountParameters(int inFeatures, int outFeatures, bool bias)
    {
        long inputs = EntangledSlicing.CheckCostSize(nameof(inFeatures), inFeatures);
        long outputs = EntangledSlicing.CheckCostSize(nameof(outFeatures), outFeatures);
        return inputs * outputs + (bias ? outputs : 0);
    }

    /// <summary>
    /// The forward FLOPs per token (<see cref="FlopConventions"/>): <c>2·in·out</c> for the matrix product (a
    /// multiply-add is 2 FLOPs), plus <c>out</c> for adding the bias.
    /// </summary>
    /// <param name="inFeatures">Input features, at least 1.</param>
    /// <param name="outFeatures">Output features, at least 1.</param>
    /// <param name="bias">Whether the layer adds a bias.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    public static long CountFlopsPerToken(int inFeatures, int outFeatures, bool bias)
    {
        long inputs = EntangledSlicing.CheckCostSize(nameof(inFeatures), inFeatures);
        long outputs = EntangledSlicing.CheckCostSize(nameof(outFeatures), outFeatures);
        return 2 * inputs * outputs + (bias ? outputs : 0);
    }

    /// <summary>
    /// Selects the active slice <c>W[:outFeatures, :inFeatures]</c>, <c>b[:outFeatures]</c>. Stores integers only.
    /// </summary>
    /// <param name="inFeatures">Active input features, in <c>[1, InMax]</c>.</param>
    /// <param name="outFeatures">Active output features, in <c>[1, OutMax]</c>.</param>
    /// <param name="useBias">Whether to add the bias; ignored (off) when the layer has none.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is outside its range; the message names the layer.</exception>
    public void SetActive(int inFeatures, int outFeatures, bool useBias = true)
    {
        EntangledSlicing.CheckActiveSize(_name, nameof(inFeatures), "input features", inFeatures, InMax);
        EntangledSlicing.CheckActiveSize(_name, nameof(outFeatures), "output features", outFeatures, OutMax);
        _activeIn = inFeatures;
        _activeOut = outFeatures;
        _activeBias = useBias && bias is not null;
        _mixed = false;
        _mixIn = _mixOut = _mixBias = null;
    }

    /// <inheritdoc />
    public bool IsMixed => _mixed;

    /// <summary>
    /// Sets a mixture (TangleNAS): the forward runs on <c>x[..., :InMax]</c> with
    /// <c>W_mix = W ⊙ (m_out ⊗ m_in)</c> and <c>b_mix = P(bias) · b ⊙ m_out</c>, where <c>m</c> is each size's
    /// cumulative mask (<see cref="SizeDistribution.Mask"/>). For independent choices of the two sizes this is exactly
    /// <c>Σᵢⱼ αᵢ βⱼ · zero-pad(W[:outᵢ, :inⱼ])</c>, in one matrix product. Sizes become the max sizes.
    /// </summary>
    /// <remarks>
    /// Generated supernets pass no input distribution: the input arrives masked by the layer that produced it (an
    /// embedding, a norm, another linear layer), and masking it again would square the mask, making the output quadratic
    /// in the option weights (with zero gradient for the wider options at a one-hot GDAS sample).
    /// </remarks>
    /// <param name="inFeatures">The distribution of the input size; null for the max.</param>
    /// <param name="outFeatures">The distribution of the output size; null for the max.</param>
    /// <param name="useBias">The distribution of the bias switch (values 0/1); null for on.</param>
    /// <exception cref="ArgumentException">An option exceeds the layer's max size; nothing changes.</exception>
    public void SetMixture(SizeDistribution? inFeatures, SizeDistribution? outFeatures, SizeDistribution? useBias = null)
    {
        CheckOptions(inFeatures, InMax, "input features");
        CheckOptions(outFeatures, OutMax, "output features");
        SetActive(InMax, OutMax, true);
        (_mixIn, _mixOut, _mixBias, _mixed) = (inFeatures, outFeatures, useBias, true);
    }

    /// <inheritdoc />
    public void ClearMixture()
    {
        _mixed = false;
        _mixIn = _mixOut = _mixBias = null;
    }

    private void CheckOptions(SizeDistribution? sizes, int max, string what)
    {
        if (sizes is null)
            return;
        foreach (int value in sizes.Values)
        {
            if (value < 1 || value > max)
                throw new ArgumentException(
                    $"Layer '{_name}': the mixture has an option of {value} {what}, outside [1, {max}]: build the supernet with a capacity that holds every option.");
        }
    }

    /// <summary>The mixed weight <c>W ⊙ (m_out ⊗ m_in)</c> (the max weight itself when neither size is mixed); joins the caller's dispose scope.</summary>
    internal Tensor MixedWeight()
    {
        Tensor w = weight;
        var mOut = _mixOut?.Mask(OutMax, weight.dtype, weight.device, _name, "output features");
        var mIn = _mixIn?.Mask(InMax, weight.dtype, weight.device, _name, "input features");
        if (mOut is not null)
            w = w.mul(mOut.unsqueeze(1));
        if (mIn is not null)
            w = w.mul(mIn.unsqueeze(0));
        return w;
    }

    /// <summary>The mixed bias <c>P(bias) · b ⊙ m_out</c>, or null without a bias; joins the caller's dispose scope.</summary>
    internal Tensor? MixedBias()
    {
        if (bias is null)
            return null;
        Tensor b = bias;
        var mOut = _mixOut?.Mask(OutMax, bias.dtype, bias.device, _name, "output features");
        if (mOut is not null)
            b = b.mul(mOut);
        if (_mixBias is { IsConstant: true } constant)
            return constant.Values[0] == 0 ? null : b;
        if (_mixBias is not null)
            b = b.mul(_mixBias.Expected(bias.dtype, bias.device));
        return b;
    }

    private Tensor MixedForward(Tensor input)
    {
        EntangledSlicing.CheckFeatures(_name, input, InMax);
        using var scope = NewDisposeScope();
        var w = MixedWeight();
        var b = MixedBias();
        return nn.functional.linear(input, w, b).MoveToOuterDisposeScope();
    }

    /// <summary>Applies <c>x · W[:out, :in]ᵀ + b[:out]</c> to an input whose last dimension is the active input width.</summary>
    /// <exception cref="ArgumentException">The input's last dimension is not <see cref="ActiveIn"/>.</exception>
    public override Tensor forward(Tensor input)
    {
        if (_mixed)
            return MixedForward(input);
        EntangledSlicing.CheckFeatures(_name, input, _activeIn);
        // Views of the max-size weights (inner stride 1): linear runs on them without a copy.
        using var rows = weight.narrow(0, 0, _activeOut);
        using var w = rows.narrow(1, 0, _activeIn);
        if (!_activeBias)
            return nn.functional.linear(input, w);
        using var b = bias!.narrow(0, 0, _activeOut);
        return nn.functional.linear(input, w, b);
    }

    /// <summary>
    /// A standalone <c>torch.nn.Linear(ActiveIn, ActiveOut)</c> holding copies of the active slice (no bias parameter
    /// when the bias is off), on the same device and dtype, with the same <c>requires_grad</c>.
    /// </summary>
    public Linear Extract()
    {
        using var rows = weight.narrow(0, 0, _activeOut);
        using var w = rows.narrow(1, 0, _activeIn);
        var weightCopy = EntangledSlicing.CopyToParameter(w, weight.requires_grad);
        Parameter? biasCopy = null;
        if (_activeBias)
        {
            using var b = bias!.narrow(0, 0, _activeOut);
            biasCopy = EntangledSlicing.CopyToParameter(b, bias.requires_grad);
        }
        return nn.Linear(weightCopy, biasCopy);
    }

    nn.Module IEntangledModule.Extract() => Extract();

    /// <summary>
    /// <c>weight</c> → a view <c>W[:out, :in]</c> and, when the bias is active, <c>bias</c> → a view <c>b[:out]</c>
    /// (see <see cref="IEntangledModule.ActiveSlices"/>).
    /// </summary>
    public IEnumerable<(string Name, Tensor Slice)> ActiveSlices()
    {
        using var rows = weight.narrow(0, 0, _activeOut);
        var slices = new List<(string, Tensor)> { ("weight", rows.narrow(1, 0, _activeIn)) };
        if (_activeBias)
            slices.Add(("bias", bias!.narrow(0, 0, _activeOut)));
        return slices;
    }
}
