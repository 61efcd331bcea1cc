using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Supernets;

/// <summary>
/// A dense transformer MLP: <c>fc2(GELU(fc1(x)))</c> with the exact (erf-based) GELU, torch's default. The extraction
/// target of <see cref="EntangledMlp"/>; state-dict names <c>fc1.weight</c>, <c>fc1.bias</c>, <c>fc2.weight</c>,
/// <c>fc2.bias</c> match the supernet's.
/// </summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    // Field names are the state-dict prefixes (RegisterComponents).
    private Linear fc1;
    private Linear fc2;

    /// <summary>Creates the MLP with freshly initialised layers (as <c>torch.nn.Linear</c> initialises them).</summary>
    /// <param name="name">The module name.</param>
    /// <param name="dim">Input and output width.</param>
    /// <param name="hidden">Hidden width.</param>
    /// <param name="hasBias">Whether both layers have a bias.</param>
    /// <param name="device">The device of the weights (the default device when null).</param>
    /// <param name="dtype">The element type of the weights (the default dtype when null).</param>
    public Mlp(string name, int dim, int hidden, bool hasBias, Device? device = null, ScalarType? dtype = null)
        : this(name, nn.Linear(dim, hidden, hasBias, device, dtype), nn.Linear(hidden, dim, hasBias, device, dtype))
    {
    }

    /// <summary>Creates the MLP around given layers, which it then owns.</summary>
    /// <param name="name">The module name.</param>
    /// <param name="fc1">The expansion <c>[hidden, dim]</c>.</param>
    /// <param name="fc2">The projection <c>[dim, hidden]</c>.</param>
    /// <exception cref="ArgumentException">The layers' sizes do not chain (<c>fc1</c>: dim → hidden, <c>fc2</c>: hidden → dim).</exception>
    public Mlp(string name, Linear fc1, Linear fc2) : base(name)
    {
        ArgumentNullException.ThrowIfNull(fc1);
        ArgumentNullException.ThrowIfNull(fc2);
        if (fc1.out_features != fc2.in_features || fc2.out_features != fc1.in_features)
            throw new ArgumentException(
                $"Mlp '{name}': fc1 maps {fc1.in_features} → {fc1.out_features} features and fc2 maps {fc2.in_features} → {fc2.out_features}; " +
                "they must map dim → hidden and hidden → dim.");
        this.fc1 = fc1;
        this.fc2 = fc2;
        RegisterComponents();
    }

    /// <summary>The expansion layer <c>[hidden, dim]</c>.</summary>
    public Linear Fc1 => fc1;

    /// <summary>The projection layer <c>[dim, hidden]</c>.</summary>
    public Linear Fc2 => fc2;

    /// <summary>Input and output width.</summary>
    public long Dim => fc1.in_features;

    /// <summary>Hidden width.</summary>
    public long Hidden => fc1.out_features;

    /// <summary>Applies <c>fc2(GELU(fc1(x)))</c>.</summary>
    public override Tensor forward(Tensor input)
    {
        using var hidden = fc1.forward(input);
        using var activated = nn.functional.gelu(hidden);
        return fc2.forward(activated);
    }
}
