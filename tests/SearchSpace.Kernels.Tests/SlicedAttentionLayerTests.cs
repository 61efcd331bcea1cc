using SearchSpaceDsl.Supernets;
using TorchSharp;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Kernels.Tests;

/// <summary>
/// A whole sliced attention layer composed of the kernels (three projections, attention, output projection), reading
/// an <see cref="EntangledSelfAttention"/>'s max-size weights in place, against its TorchSharp forward: head size as a
/// choice (the first hs of every hsMax rows and columns) and grouped-query groups.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class SlicedAttentionLayerTests(KernelContextFixture fixture)
{
    [Theory]
    [InlineData(24, 4, 8, 0, 19, 3, 5, 0, true)]   // multi-head: 3 of 4 heads, the first 5 of 8 dims each
    [InlineData(24, 4, 8, 0, 24, 4, 8, 0, false)]  // the whole layer, no bias
    [InlineData(24, 4, 6, 2, 20, 2, 4, 1, true)]   // grouped-query: 1 of 2 groups with both its query heads, 4 of 6 dims
    [InlineData(24, 4, 6, 2, 17, 4, 6, 2, true)]   // grouped-query: both groups
    public void Matches_the_entangled_layer(int dimMax, int headsMax, int hsMax, int kvGroupsMax, int dim, int heads,
        int hs, int kvGroups, bool bias)
    {
        const int batch = 2, seq = 5;
        torch.manual_seed(dim + heads + hs);
        using var layer = new EntangledSelfAttention("attention", dimMax, headsMax, hsMax, hasBias: true, kvGroupsMax);
        layer.SetActive(dim, heads, hs, bias, kvGroups);
        using var input = torch.randn(batch, seq, dim);
        using var reference = layer.forward(input);
        var expected = reference.to(float64).data<double>().ToArray();

        using var data = new DeviceData(fixture.Kernels.Accelerator, 1);
        DeviceMatrix Weight(TorchSharp.Modules.Linear linear) =>
            new(data.Upload(Host(linear.weight!)).View, (int)linear.weight!.shape[0], (int)linear.weight!.shape[1]);
        ILGPU.ArrayView<float>? Bias(TorchSharp.Modules.Linear linear) => bias ? data.Upload(Host(linear.bias!)).View : null;

        int rows = batch * seq, kvHeads = kvGroups == 0 ? heads : kvGroups;
        var blocks = IndexBlocks.Heads(hs, hsMax); // query/key/value rows and output columns of the active head dims
        var x = new DeviceMatrix(data.Upload(Host(input)).View, rows, dim);
        var q = data.Poisoned(rows, heads * hs);
        var k = data.Poisoned(rows, kvHeads * hs);
        var v = data.Poisoned(rows, kvHeads * hs);
        var attended = data.Poisoned(rows, heads * hs);
        var y = data.Poisoned(rows, dim);
        var kernels = fixture.Kernels.Library;
        kernels.Gemm.Run(x, Weight(layer.Query), Bias(layer.Query), q, rows, dim, heads * hs, outBlocks: blocks);
        kernels.Gemm.Run(x, Weight(layer.Key), Bias(layer.Key), k, rows, dim, kvHeads * hs, outBlocks: blocks);
        kernels.Gemm.Run(x, Weight(layer.Value), Bias(layer.Value), v, rows, dim, kvHeads * hs, outBlocks: blocks);
        kernels.Attention.Run(q, k, v, attended, new AttentionShape(batch, seq, heads, hs, kvHeads, hs));
        kernels.Gemm.Run(attended, Weight(layer.Output), Bias(layer.Output), y, rows, heads * hs, dim, inBlocks: blocks);

        Compare.Matrix(data.Download(y), dim, expected, rows, dim);
    }

    private static float[] Host(Tensor tensor)
    {
        using var values = tensor.detach().contiguous();
        return values.data<float>().ToArray();
    }
}
