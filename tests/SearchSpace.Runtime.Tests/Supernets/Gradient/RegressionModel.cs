using SearchSpaceDsl.Supernets;
using SearchSpaceDsl.Supernets.Gradient;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets.Gradient;

/// <summary>
/// A linear regression supernet whose best architecture is known by construction. The input holds
/// <see cref="Chunks"/> chunks of <see cref="Chunk"/> features; block <c>i</c> reads chunk <c>i</c> only, through a
/// bottleneck <c>Up[i](Down[i](x_i))</c> of its width, and adds its output to the prediction. A target that depends on
/// chunks 0 and 1 through maps of rank 4 and 2 needs depth 2 (chunk 1 is read by block 1 alone) and widths [4, 2] (a
/// bottleneck of width w fits a map of rank at most w); anything larger only costs more.
/// </summary>
[Supernet(typeof(RegressionArch))]
public sealed partial class RegressionModel : nn.Module<Tensor, Tensor>
{
    /// <summary>The features of one chunk.</summary>
    public const int Chunk = 8;

    /// <summary>The number of chunks (the largest depth).</summary>
    public const int Chunks = 3;

    /// <summary>The outputs.</summary>
    public const int Outputs = 8;

    [PerLayer(nameof(RegressionArch.Depth)), Linear(In = Chunk, Out = nameof(RegressionArch.Width), Bias = false)]
    private partial ModuleList<EntangledLinear> Down { get; }

    [PerLayer(nameof(RegressionArch.Depth)), Linear(In = nameof(RegressionArch.Width), Out = Outputs, Bias = true)]
    private partial ModuleList<EntangledLinear> Up { get; }

    /// <summary>A supernet at the largest architecture with weights drawn from <paramref name="seed"/> by a private generator.</summary>
    public static RegressionModel Create(int seed, ScalarType dtype = ScalarType.Float32)
    {
        var model = new RegressionModel();
        model.Initialise(seed);
        if (dtype != ScalarType.Float32)
            model.to(dtype);
        return model;
    }

    /// <summary>Predictions <c>[batch, Outputs]</c> for inputs <c>[batch, Chunks·Chunk]</c>.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var y = zeros([input.size(0), Outputs], dtype: input.dtype);
        var depth = DepthMixing.Begin(Mixture, nameof(RegressionArch.Depth), Active.Depth, y);
        for (int i = 0; i < depth.Count; i++)
            y = depth.After(i, y + Up[i].forward(Down[i].forward(input.narrow(1, i * Chunk, Chunk))));
        return depth.Output(y).MoveToOuterDisposeScope();
    }

    private void OnCreated() => Initialise(0);

    private void Initialise(int seed)
    {
        using var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            if (parameter.dim() == 2)
                parameter.normal_(0, 0.3, generator);
            else
                parameter.zero_();
        }
    }
}
