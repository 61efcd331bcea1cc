using SearchSpaceDsl.Supernets;
using TorchSharp;
using static SearchSpaceDsl.Tests.Supernets.EntangledLayerAssert;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets;

public class EntangledActiveSlicesTests
{
    [Theory]
    [MemberData(nameof(EntangledLayerCases.Names), MemberType = typeof(EntangledLayerCases))]
    public void Copying_the_active_slices_into_a_layer_of_the_active_sizes_reproduces_the_forward(string kindName)
    {
        var kind = EntangledLayerCases.Kinds[kindName];
        var generator = new Generator(5);
        var random = new Random(17);
        using var source = kind.CreateSource(generator);

        for (var i = 0; i < EntangledLayerCases.Configurations; i++)
        {
            using var scope = NewDisposeScope();
            var active = kind.Activate(source, random, generator);
            using var target = active.Target;

            EntangledModules.CopyActiveSlices((IEntangledModule)source, target);

            var expected = source.forward(active.Input);
            using var extracted = (nn.Module<Tensor, Tensor>)((IEntangledModule)source).Extract();
            var copied = target.forward(active.Input);
            Close(expected, copied, Tolerance, $"{kindName} {active.Description}: target vs source");
            Close(extracted.forward(active.Input), copied, Tolerance, $"{kindName} {active.Description}: target vs Extract()");
            // Last, as it moves the source's weights: the copy keeps its own storage.
            SharesNoStorage(source, target, active.Input, amount: 0.25, minimumChange: 1e-3);
        }
    }

    [Fact]
    public void Prefix_slices_are_views_and_their_names_are_the_state_dict_names()
    {
        using var layer = new EntangledLinear("proj", 7, 5, hasBias: true);
        using var mlp = new EntangledMlp("mlp", 6, 12, hasBias: true);
        layer.SetActive(4, 3, useBias: true);
        mlp.SetActive(5, 9, useBias: false);
        using var scope = NewDisposeScope();

        var slices = layer.ActiveSlices().ToList();
        Assert.Equal(["weight", "bias"], slices.Select(s => s.Name));
        Assert.Equal([3L, 4L], slices[0].Slice.shape);
        Assert.Equal(layer.Weight.storage<float>().data_ptr(), slices[0].Slice.storage<float>().data_ptr());
        Assert.Equal(layer.Bias!.storage<float>().data_ptr(), slices[1].Slice.storage<float>().data_ptr());

        // Biases off: not listed. Names carry the sub-module prefix, as named_parameters() gives them.
        Assert.Equal(["fc1.weight", "fc2.weight"], mlp.ActiveSlices().Select(s => s.Name));
        Assert.Subset(mlp.named_parameters().Select(p => p.name).ToHashSet(), mlp.ActiveSlices().Select(s => s.Name).ToHashSet());
    }

    [Fact]
    public void Mismatches_are_all_reported_and_nothing_is_copied()
    {
        using var source = new EntangledLinear("blocks.0.proj", 7, 5, hasBias: true);
        source.SetActive(5, 3, useBias: true);
        using var wrongWidthNoBias = new EntangledLinear("target", 4, 3, hasBias: false);
        using var before = wrongWidthNoBias.Weight.detach().clone();

        var error = Assert.Throws<InvalidOperationException>(() => EntangledModules.CopyActiveSlices(source, wrongWidthNoBias));

        Assert.Contains("'blocks.0.proj'", error.Message);
        Assert.Contains("'target'", error.Message);
        Assert.Contains("'weight': active slice [3, 5], target parameter [3, 4]", error.Message);
        Assert.Contains("'bias': the target has no such parameter (active slice [3])", error.Message);
        Assert.Contains("2 mismatches", error.Message);
        Close(before, wrongWidthNoBias.Weight, 0, "target weight after a failed copy");

        // A target parameter that no slice covers: the source's bias is switched off.
        source.SetActive(5, 3, useBias: false);
        using var withBias = new EntangledLinear("target", 5, 3, hasBias: true);
        error = Assert.Throws<InvalidOperationException>(() => EntangledModules.CopyActiveSlices(source, withBias));
        Assert.Contains("'bias': no active slice of the source covers the target parameter [3]", error.Message);
        Assert.Contains("1 mismatch,", error.Message);
    }

    [Fact]
    public void Mismatched_head_size_names_the_attention_parameters()
    {
        using var source = new EntangledSelfAttention("attn", 8, 4, 4, hasBias: false);
        source.SetActive(8, 2, 3, useBias: false);
        using var target = new EntangledSelfAttention("target", 8, 2, 4, hasBias: false);

        var error = Assert.Throws<InvalidOperationException>(() => EntangledModules.CopyActiveSlices(source, target));

        Assert.Contains("'query.weight': active slice [6, 8], target parameter [8, 8]", error.Message);
        Assert.Contains("'key.weight': active slice [6, 8], target parameter [8, 8]", error.Message);
        Assert.Contains("'value.weight': active slice [6, 8], target parameter [8, 8]", error.Message);
        Assert.Contains("'output.weight': active slice [8, 6], target parameter [8, 8]", error.Message);
    }
}
