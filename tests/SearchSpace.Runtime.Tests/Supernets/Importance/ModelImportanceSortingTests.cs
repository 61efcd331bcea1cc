using SearchSpaceDsl.Supernets;
using TorchSharp;
using static TorchSharp.torch;
using SampleArchitecture = TinyGpt.TinyGptArchitecture;
using SampleModel = TinyGpt.TinyGptModel;

namespace SearchSpaceDsl.Tests.Supernets.Importance;

/// <summary>Importance sorting of a whole model: the sample's TinyGpt.</summary>
public sealed class ModelImportanceSortingTests
{
    [Fact]
    public void Sorting_the_whole_model_keeps_the_largest_function_and_changes_the_smallest()
    {
        torch.manual_seed(17);
        // In float64: at random initialisation the tied head gives logits up to ~100, where float32's spacing (~8e-6)
        // alone would exceed the 1e-5 bound; in float64 any difference left comes from the permutation itself.
        using var model = new SampleModel();
        model.to(float64);
        using var generator = new Generator(17);
        var tokens = randint(SampleModel.Vocab, [2, 16], dtype: int64, generator: generator);
        var largest = SampleArchitecture.Space.Largest;
        var smallest = SampleArchitecture.Space.Smallest;
        using var noGrad = no_grad();
        using var largestBefore = Forward(model, largest, tokens);
        using var smallestBefore = Forward(model, smallest, tokens);

        var sorted = ImportanceSorting.Sort(model);

        Assert.Equal(["attention.0", "attention.1", "attention.2", "attention.3", "mlp.0", "mlp.1", "mlp.2", "mlp.3"], sorted.Order());
        using var largestAfter = Forward(model, largest, tokens);
        using var smallestAfter = Forward(model, smallest, tokens);
        var diff = (largestAfter - largestBefore).abs().max().ToDouble();
        Assert.True(diff <= 1e-5, $"the largest architecture's logits moved by {diff:E3}");
        Assert.True((smallestAfter - smallestBefore).abs().max().ToDouble() > 1e-3, "sorting did not change the smallest sub-network");

        // Sorting is stable: a second pass finds everything in order and changes nothing.
        var parameters = model.parameters().Select(p => p.detach().clone()).ToList();
        ImportanceSorting.Sort(model);
        Assert.All(model.parameters().Zip(parameters), pair => Assert.True(pair.First.allclose(pair.Second, rtol: 0, atol: 0)));
    }

    private static Tensor Forward(SampleModel model, SampleArchitecture architecture, Tensor tokens)
    {
        model.Activate(architecture);
        return model.forward(tokens);
    }
}
