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

    [Fact]
    public void A_library_that_is_not_ELF_fails_with_a_message_naming_it()
    {
        using var scratch = new ScratchDirectory();
        var path = Path.Combine(scratch.Path, "libLibTorchSharp.so");
        File.WriteAllText(path, "not a library");

        var error = Assert.Throws<DllNotFoundException>(() => TorchSharpNative.Load(path));

        Assert.Contains($"'{path}'", error.Message);
        Assert.Contains("not an ELF file", error.Message);
    }

    [Fact]
    public void A_truncated_library_fails_with_a_message_naming_it_instead_of_crashing_the_loader()
    {
        using var scratch = new ScratchDirectory();
        var path = Path.Combine(scratch.Path, "libLibTorchSharp.so");
        File.WriteAllBytes(path, File.ReadAllBytes(NativeTestFiles.ShippedTorchSharpLibrary)[..100_000]);

        var error = Assert.Throws<DllNotFoundException>(() => TorchSharpNative.Load(path));

        Assert.Contains($"'{path}'", error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void A_missing_library_fails_with_a_message_naming_it()
    {
        using var scratch = new ScratchDirectory();
        var path = Path.Combine(scratch.Path, "libLibTorchSharp.so");

        var error = Assert.Throws<DllNotFoundException>(() => TorchSharpNative.Load(path));

        Assert.Contains(path, error.Message);
    }
}
