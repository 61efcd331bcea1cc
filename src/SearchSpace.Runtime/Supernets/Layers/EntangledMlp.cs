using TorchSharp;
using SearchSpaceDsl.Supernets.Gradient;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Supernets;

/// <summary>
/// A transformer MLP of a weight-entangled supernet: <c>fc2(GELU(fc1(x)))</c> with <c>fc1[hiddenMax, dimMax]</c> and
/// <c>fc2[dimMax, hiddenMax]</c> (exact, erf-based GELU). A sub-network of width <c>d</c> and hidden width <c>h</c>
/// uses <c>fc1[:h, :d]</c> and <c>fc2[:d, :h]</c> (BRIEF section 3), biases <c>[:h]</c> and <c>[:d]</c> when on.
/// </summary>
/// <remarks>
/// Both layers are <see cref="EntangledLinear"/>s, initialised as <c>torch.nn.Linear</c> at their max sizes (a
/// GPT-style model may re-initialise them through <c>torch.nn.init</c>). State-dict names: <c>fc1.weight</c>,
/// <c>fc1.bias</c>, <c>fc2.weight</c>, <c>fc2.bias</c>.
/// </remarks>
public sealed class EntangledMlp : nn.Module<Tensor, Tensor>, IEntangledModule, IMixableModule
{
    // Field names are the state-dict prefixes (RegisterComponents).
    private readonly EntangledLinear fc1;
    private readonly EntangledLinear fc2;

    private readonly string _name;

    /// <summary>Creates the MLP at its largest size.</summary>
    /// <param name="name">The module name; error messages name the layer by it (the layers are <c>name.fc1</c>, <c>name.fc2</c>).</param>
    /// <param name="dimMax">The largest input and output width.</param>
    /// <param name="hiddenMax">The largest hidden width.</param>
    /// <param name="hasBias">Whether both layers hold a bias.</param>
    /// <param name="device">The device of the weights (the default device when null).</param>
    /// <param name="dtype">The element type of the weights (the default dtype when null).</param>
    public EntangledMlp(string name, int dimMax, int hiddenMax, bool hasBias, Device? device = null, ScalarType? dtype = null)
        : base(EntangledSlicing.LayerName(name))
    {
        _name = name;
        EntangledSlicing.CheckMaxSize(name, nameof(dimMax), "width", dimMax);
        EntangledSlicing.CheckMaxSize(name, nameof(hiddenMax), "hidden width", hiddenMax);
        fc1 = new EntangledLinear(name + ".fc1", dimMax, hiddenMax, hasBias, device, dtype);
        fc2 = new EntangledLinear(name + ".fc2", hiddenMax, dimMax, hasBias, device, dtype);
        RegisterComponents();
    }

    /// <summary>The largest input and output width.</summary>
    public int DimMax => fc1.InMax;

    /// <summary>The largest hidden width.</summary>
    public int HiddenMax => fc1.OutMax;

    /// <summary>Whether the layers hold biases.</summary>
    public bool HasBias => fc1.HasBias;

    /// <summary>The active input and output width.</summary>
    public int ActiveDim => fc1.ActiveIn;

    /// <summary>The active hidden width.</summary>
    public int ActiveHidden => fc1.ActiveOut;

    /// <summary>Whether the active sub-network adds the biases.</summary>
    public bool ActiveBias => fc1.ActiveBias;

    /// <summary>The expansion layer (max size <c>[hiddenMax, dimMax]</c>).</summary>
    public EntangledLinear Fc1 => fc1;

    /// <summary>The projection layer (max size <c>[dimMax, hiddenMax]</c>).</summary>
    public EntangledLinear Fc2 => fc2;

    /// <inheritdoc />
    public long ActiveParameterCount => CountParameters(ActiveDim, ActiveHidden, ActiveBias);

    /// <summary>
    /// The parameters of an MLP: <c>2·dim·hidden</c> weights, plus <c>hidden + dim</c> biases with biases.
    /// </summary>
    /// <param name="dim">The input and output width, at least 1.</param>
    /// <param name="hidden">The hidden width, at least 1.</param>
    /// <param name="bias">Whether both layers add a bias.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    public static long CountParameters(int dim, int hidden, bool bias) =>
        EntangledLinear.CountParameters(dim, hidden, bias) + EntangledLinear.CountParameters(hidden, dim, bias);

    /// <summary>
    /// The forward FLOPs per token (<see cref="FlopConventions"/>): the two linear maps, <c>2·dim·hidden</c> each (plus
    /// <c>hidden</c> and <c>dim</c> for the biases), and the GELU, <c>5·hidden</c>
    /// (<see cref="FlopConventions.GeluPerElement"/>).
    /// </summary>
    /// <param name="dim">The input and output width, at least 1.</param>
    /// <param name="hidden">The hidden width, at least 1.</param>
    /// <param name="bias">Whether both layers add a bias.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    public static long CountFlopsPerToken(int dim, int hidden, bool bias) =>
        EntangledLinear.CountFlopsPerToken(dim, hidden, bias)
        + (long)FlopConventions.GeluPerElement * hidden
        + EntangledLinear.CountFlopsPerToken(hidden, dim, bias);

    /// <summary>Selects <c>fc1[:hidden, :dim]</c> and <c>fc2[:dim, :hidden]</c>. Stores integers only.</summary>
    /// <param name="dim">The active width, in <c>[1, DimMax]</c>.</param>
    /// <param name="hidden">The active hidden width, in <c>[1, HiddenMax]</c>.</param>
    /// <param name="useBias">Whether to add the biases; ignored (off) when the layers have none.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is outside its range; the message names this layer.</exception>
    public void SetActive(int dim, int hidden, bool useBias = true)
    {
        // Checked here first so the message names the MLP rather than one of its layers; nothing changes on failure.
        EntangledSlicing.CheckActiveSize(_name, nameof(dim), "width", dim, DimMax);
        EntangledSlicing.CheckActiveSize(_name, nameof(hidden), "hidden width", hidden, HiddenMax);
        fc1.SetActive(dim, hidden, useBias);
        fc2.SetActive(hidden, dim, useBias);
    }

    /// <inheritdoc />
    public bool IsMixed => fc1.IsMixed;

    /// <summary>
    /// Sets a mixture (TangleNAS). Masks are applied once per size, where the size is produced, so that the output is
    /// linear in every option weight: the width masks <c>fc2</c>'s output rows (the input arrives masked by the layer that
    /// produced it, so <c>fc1</c>'s input columns are not masked again); the hidden width masks <c>fc2</c>'s input columns
    /// (<c>m_h[j] = Σ_{i: hᵢ &gt; j} αᵢ</c>), so that the output is exactly <c>Σ αᵢ · fc2[:, :hᵢ](GELU(fc1[:hᵢ](x)))</c>:
    /// each hidden unit is computed the same in every option that keeps it. (Masking <c>fc1</c>'s rows too would square the
    /// mask and pass it through GELU; at a one-hot GDAS sample a squared mask has zero gradient for the wider options.)
    /// </summary>
    public void SetMixture(SizeDistribution? dim, SizeDistribution? hidden, SizeDistribution? useBias = null)
    {
        // fc2 first: it checks the same sizes, so a failure leaves both layers unchanged.
        if (dim is not null && dim.Values.Any(v => v < 1 || v > DimMax))
            throw new ArgumentException($"Layer '{_name}': the mixture has a width option outside [1, {DimMax}] ({dim}): build the supernet with a capacity that holds every option.", nameof(dim));
        fc2.SetMixture(hidden, dim, useBias);
        try
        {
            fc1.SetMixture(null, null, useBias);
        }
        catch
        {
            fc2.ClearMixture();
            throw;
        }
    }

    /// <inheritdoc />
    public void ClearMixture()
    {
        fc1.ClearMixture();
        fc2.ClearMixture();
    }

    /// <summary>
    /// Reorders the hidden neurons in place: the neuron stored at position <c>i</c> afterwards is the one that was at
    /// <c>order[i]</c>. Permutes the rows of <c>fc1</c>'s weight and bias and the columns of <c>fc2</c>'s weight
    /// together, so the full-width MLP computes exactly the same function (GELU acts elementwise); what changes is which
    /// neurons a hidden-width prefix <c>[:h]</c> keeps. Used by importance sorting (BRIEF section 3).
    /// </summary>
    /// <remarks>
    /// The parameters are modified in place under <c>torch.no_grad()</c> (gathered with <c>index_select</c>, written
    /// back with <c>copy_</c>): the same parameter objects keep their storage, so an optimizer built before still
    /// updates them. Existing gradients are permuted with their weights; optimizer state such as momentum is not (sort
    /// before training or rebuild the optimizer). The active sizes are unchanged.
    /// </remarks>
    /// <param name="order">A permutation of <c>[0, HiddenMax)</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="order"/> has the wrong length, an entry out of range or a
    /// repeated entry; the message names this layer, and nothing is changed.</exception>
    public void PermuteNeurons(ReadOnlySpan<long> order)
    {
        var index = EntangledPermutation.Check(_name, nameof(order), "hidden neurons", order, HiddenMax);
        EntangledPermutation.PermuteInPlace(fc1.Weight, 0, index);
        EntangledPermutation.PermuteInPlace(fc1.Bias, 0, index);
        EntangledPermutation.PermuteInPlace(fc2.Weight, 1, index);
    }

    /// <summary>Applies <c>fc2(GELU(fc1(x)))</c> on the active slices; the input's last dimension is the active width.</summary>
    /// <exception cref="ArgumentException">The input's last dimension is not <see cref="ActiveDim"/>.</exception>
    public override Tensor forward(Tensor input)
    {
        EntangledSlicing.CheckFeatures(_name, input, fc1.ActiveIn);
        using var hidden = fc1.forward(input);
        using var activated = nn.functional.gelu(hidden);
        return fc2.forward(activated);
    }

    /// <summary>
    /// A standalone <see cref="Mlp"/> of the active sizes holding copies of the active slices (no bias parameters when
    /// the biases are off); it carries this layer's name.
    /// </summary>
    public Mlp Extract() => new(_name, fc1.Extract(), fc2.Extract());

    torch.nn.Module IEntangledModule.Extract() => Extract();

    /// <summary>
    /// The active slices of both layers, named <c>fc1.weight</c>, <c>fc1.bias</c>, <c>fc2.weight</c>, <c>fc2.bias</c>
    /// (biases only when active); all views (see <see cref="IEntangledModule.ActiveSlices"/>).
    /// </summary>
    public IEnumerable<(string Name, Tensor Slice)> ActiveSlices() =>
        fc1.ActiveSlices().Select(s => ("fc1." + s.Name, s.Slice))
            .Concat(fc2.ActiveSlices().Select(s => ("fc2." + s.Name, s.Slice)))
            .ToList();
}
