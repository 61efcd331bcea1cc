using SearchSpaceDsl.Native;
using TorchSharp;

namespace SearchSpaceDsl.Tests.Native;

public class TorchSharpNativeTests
{
    [Fact]
    public void After_EnsureLoaded_TorchSharp_multiplies_matrices()
    {
        TorchSharpNative.EnsureLoaded();
        TorchSharpNative.EnsureLoaded(); // idempotent

        using var a = torch.tensor(new float[] { 1, 2, 3, 4 }, 2, 2);
        using var b = torch.tensor(new float[] { 5, 6, 7, 8 }, 2, 2);
        using var product = torch.matmul(a, b);

        // [1 2; 3 4] · [5 6; 7 8] = [1·5+2·7  1·6+2·8; 3·5+4·7  3·6+4·8]
        Assert.Equal(new long[] { 2, 2 }, product.shape);
        Assert.Equal(new float[] { 19, 22, 43, 50 }, product.data<float>().ToArray());
    }
}
