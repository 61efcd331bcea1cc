using TorchSharp;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets.Training;

/// <summary>The hand-written test supernet keeps the <see cref="SearchSpaceDsl.Supernets.ISupernet{TArch}"/> contract.</summary>
public sealed class TinyLmSupernetTests
{
    [Fact]
    public void Every_extracted_sub_network_computes_what_the_supernet_computes()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var model = new TinyLmSupernet(vocab: 11, seed: 3);
        var (inputs, _) = TrainingTestHelpers.RandomBatch(11, batch: 2, context: 5, seed: 1);
        foreach (var architecture in TinyLmArch.Space.Enumerate())
        {
            var dense = model.Extract(architecture);
            model.Activate(architecture);
            var diff = (model.forward(inputs) - dense.forward(inputs)).abs().max().ToDouble();
            Assert.True(diff <= 1e-5, $"{architecture}: max abs diff {diff:E3}");
            Assert.Equal(model.ActiveParameterCount, dense.parameters().Sum(p => p.numel()));
        }
        Assert.Contains("Width 16", Assert.Throws<ArgumentException>(() => new TinyLmSupernet(11, TinyLmArch.Space.Smallest).Activate(TinyLmArch.Space.Largest)).Message);
    }
}
