using SearchSpaceDsl.Supernets;
using TorchSharp;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets.Training;

/// <summary>A pre-norm residual MLP block of <see cref="TinyLmSupernet"/>: <c>x + mlp(ln(x))</c>.</summary>
internal sealed class TinyLmBlock : nn.Module<Tensor, Tensor>
{
    // Field names are the state-dict prefixes.
    private readonly EntangledLayerNorm ln;
    private readonly EntangledMlp mlp;

    public TinyLmBlock(string name, int widthMax, int hiddenMax) : base(name)
    {
        ln = new EntangledLayerNorm(name + ".ln", widthMax);
        mlp = new EntangledMlp(name + ".mlp", widthMax, hiddenMax, hasBias: true);
        RegisterComponents();
    }

    public int HiddenMax => mlp.HiddenMax;

    public void SetActive(int width, int hidden)
    {
        ln.SetActive(width);
        mlp.SetActive(width, hidden);
    }

    public override Tensor forward(Tensor input)
    {
        using var normed = ln.forward(input);
        using var update = mlp.forward(normed);
        return input + update;
    }

    public IEnumerable<(string Name, Tensor Slice)> ActiveSlices() =>
        ln.ActiveSlices().Select(s => ("ln." + s.Name, s.Slice))
            .Concat(mlp.ActiveSlices().Select(s => ("mlp." + s.Name, s.Slice)));

    public long ActiveParameterCount => ln.ActiveParameterCount + mlp.ActiveParameterCount;
}
