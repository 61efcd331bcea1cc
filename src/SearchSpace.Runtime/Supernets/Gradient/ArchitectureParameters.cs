using System.Globalization;
using SearchSpaceDsl.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Supernets.Gradient;

/// <summary>
/// The architecture parameters of gradient-based search over <typeparamref name="TArch"/>'s space, built from
/// <c>TArch.Space.Description</c>: one logit vector per gene position (a scalar choice one vector, a per-layer choice one
/// per layer slot, a depth one), over that dimension's options. A module of its own, kept apart from the supernet's
/// weights: its own parameter group and optimizer (<see cref="CreateOptimizer"/>), its own checkpoint entries
/// (<see cref="Save"/>: <c>arch.&lt;Dimension&gt;</c>, <c>arch.&lt;Dimension&gt;.&lt;slot&gt;</c>).
/// </summary>
/// <typeparam name="TArch">The generated architecture type.</typeparam>
public sealed class ArchitectureParameters<TArch> : nn.Module where TArch : class, IArchitecture<TArch>
{
    /// <summary>The prefix of every checkpoint entry.</summary>
    public const string CheckpointPrefix = "arch.";

    private readonly Parameter[] _logits;
    private readonly string[] _entryNames;

    /// <summary>Creates the logits: zero, or <c>N(0, initialStd²)</c> (DARTS uses 1e-3) drawn from <paramref name="seed"/>.</summary>
    /// <param name="initialStd">The standard deviation of the initial logits; 0 for all zero (uniform weights).</param>
    /// <param name="seed">The seed of the initial noise.</param>
    /// <param name="dtype">The element type (float32 by default; float64 for gradient checks).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="initialStd"/> is negative or not finite.</exception>
    public ArchitectureParameters(double initialStd = 1e-3, int seed = 0, ScalarType dtype = ScalarType.Float32)
        : base("arch")
    {
        if (!(initialStd >= 0) || double.IsInfinity(initialStd))
            throw new ArgumentOutOfRangeException(nameof(initialStd), initialStd, "The initial standard deviation must be a non-negative finite number.");
        Description = TArch.Space.Description;
        _logits = new Parameter[Description.GeneCount];
        _entryNames = new string[Description.GeneCount];
        using var generator = new Generator((ulong)seed);
        foreach (var d in Description.Dimensions)
        {
            for (int slot = 0; slot < d.Slots; slot++)
            {
                int g = d.GeneOffset + slot;
                var data = initialStd > 0
                    ? randn([d.Count], dtype: dtype, generator: generator).mul_(initialStd)
                    : zeros([d.Count], dtype: dtype);
                var parameter = new Parameter(data, requires_grad: true);
                parameter.DetachFromDisposeScope();
                _logits[g] = parameter;
                string slotText = slot.ToString(CultureInfo.InvariantCulture);
                register_parameter(d.IsPerLayer ? d.Name + "_" + slotText : d.Name, parameter);
                _entryNames[g] = CheckpointPrefix + d.Name + (d.IsPerLayer ? "." + slotText : "");
            }
        }
    }

    /// <summary>The space.</summary>
    public SearchSpaceDescription Description { get; }

    /// <summary>The logit vectors in gene order.</summary>
    public IReadOnlyList<Parameter> Logits => _logits;

    /// <summary>The number of logits over all positions (the length of a one-hot encoding).</summary>
    public int Count => _logits.Sum(l => (int)l.size(0));

    /// <summary>The logits of a dimension at a layer slot (-1 for a scalar choice).</summary>
    public Parameter LogitsOf(string dimension, int slot = -1)
    {
        var d = Description[dimension];
        if (d.IsPerLayer ? slot < 0 || slot >= d.Slots : slot is not (-1 or 0))
            throw new ArgumentOutOfRangeException(nameof(slot), slot, d.IsPerLayer ? $"'{d.Name}' has layer slots 0 … {d.Slots - 1}." : $"'{d.Name}' is a scalar choice: use slot -1.");
        return _logits[d.GeneOffset + Math.Max(slot, 0)];
    }

    /// <summary>The mixture of one forward under <paramref name="mode"/> (differentiable in the logits).</summary>
    /// <param name="mode">DARTS, GDAS or DrNAS.</param>
    /// <param name="progress">How far the search is, 0 … 1 (GDAS's temperature).</param>
    /// <param name="generator">The random source of sampling modes; null for the global one.</param>
    public ArchitectureMixture Mix(MixingMode mode, double progress = 0, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(mode);
        return mode.Mix(Description, _logits, progress, generator);
    }

    /// <summary>
    /// A one-hot mixture of one architecture drawn from the mode's mean weights, independently per position (no gradient).
    /// </summary>
    /// <param name="mode">The mode whose mean weights (<see cref="MixingMode.Probabilities"/>) are sampled.</param>
    /// <param name="generator">The random source; null for the global one.</param>
    public ArchitectureMixture SampleArchitecture(MixingMode mode, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(mode);
        using var noGrad = no_grad();
        var weights = new Tensor[_logits.Length];
        for (int g = 0; g < _logits.Length; g++)
        {
            using var p = mode.Probabilities(_logits[g]);
            using var choice = p.multinomial(1, generator: generator);
            using var index = choice.squeeze(0);
            using var hot = nn.functional.one_hot(index, p.size(0));
            weights[g] = hot.to_type(p.dtype);
        }
        return new ArchitectureMixture(Description, weights);
    }

    /// <summary>The mean option weights of every position under <paramref name="mode"/>, flattened in one-hot encoding order.</summary>
    public double[] Probabilities(MixingMode mode)
    {
        ArgumentNullException.ThrowIfNull(mode);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return [.. _logits.SelectMany(l => mode.Probabilities(l).to_type(ScalarType.Float64).data<double>().ToArray())];
    }

    /// <summary>
    /// The derived architecture: the argmax option of every position (slots beyond the derived depth ignored). When the
    /// argmax violates a constraint, the valid architecture that changes one position at the smallest loss of logit is
    /// taken instead.
    /// </summary>
    /// <exception cref="InvalidOperationException">No such valid architecture exists.</exception>
    public TArch Derive()
    {
        using var noGrad = no_grad();
        var flat = _logits.SelectMany(l => l.to_type(ScalarType.Float64).data<double>().ToArray()).ToArray();
        return ArchitectureDerivation.Argmax<TArch>(flat);
    }

    /// <summary>The Adam optimizer of the architecture parameters alone (DARTS: lr 3e-4, betas (0.5, 0.999), weight decay 1e-3).</summary>
    public optim.Optimizer CreateOptimizer(double learningRate = 3e-4, double beta1 = 0.5, double beta2 = 0.999, double weightDecay = 1e-3) =>
        optim.Adam(_logits, lr: learningRate, beta1: beta1, beta2: beta2, weight_decay: weightDecay);

    /// <summary>Writes the logits to a safetensors file, entries <c>arch.&lt;Dimension&gt;[.&lt;slot&gt;]</c>, with the space's name as metadata.</summary>
    public void Save(string path)
    {
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        for (int g = 0; g < _logits.Length; g++)
            tensors[_entryNames[g]] = _logits[g];
        SafeTensorsFile.Save(path, tensors, new Dictionary<string, string> { ["space"] = Description.Name });
    }

    /// <summary>Reads logits written by <see cref="Save"/> into these parameters, in place.</summary>
    /// <exception cref="CheckpointException">The file lacks an entry, has one of the wrong shape, or has unexpected entries; nothing is changed.</exception>
    public void Load(string path)
    {
        using var content = SafeTensorsFile.Read(path);
        var problems = new List<string>();
        for (int g = 0; g < _logits.Length; g++)
        {
            if (!content.TryGetEntry(_entryNames[g], out var entry))
                problems.Add($"missing '{_entryNames[g]}'");
            else if (entry.Shape.Count != 1 || entry.Shape[0] != _logits[g].size(0))
                problems.Add($"'{_entryNames[g]}' has shape [{string.Join(", ", entry.Shape)}], expected [{_logits[g].size(0)}]");
        }
        foreach (var entry in content.Entries)
        {
            if (!_entryNames.Contains(entry.Name, StringComparer.Ordinal))
                problems.Add($"unexpected '{entry.Name}'");
        }
        if (problems.Count > 0)
            throw new CheckpointException(content.Path, null, $"it does not hold the architecture parameters of '{Description.Name}': {string.Join("; ", problems)}.");
        using var noGrad = no_grad();
        for (int g = 0; g < _logits.Length; g++)
        {
            using var value = content.Load(_entryNames[g]);
            _logits[g].copy_(value);
        }
    }
}
