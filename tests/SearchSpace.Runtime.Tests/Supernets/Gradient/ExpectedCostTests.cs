using SearchSpaceDsl.Supernets.Gradient;
using SearchSpaceDsl.Tests.Supernets.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets.Gradient;

/// <summary>The generated expected costs equal the exact expectation over every architecture of the space.</summary>
public sealed class ExpectedCostTests
{
    [Fact]
    public void Expected_parameters_and_flops_equal_the_brute_force_expectation_over_the_space()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(9);
        var d = TinyGptArchitecture.Space.Description;
        var weights = d.Dimensions.SelectMany(dim => Enumerable.Range(0, dim.Slots)
            .Select(_ => nn.functional.softmax(randn([dim.Count], dtype: ScalarType.Float64, generator: g), 0))).ToArray();
        var mixture = new ArchitectureMixture(d, weights);

        double parameters = 0, flops = 0, total = 0;
        foreach (var architecture in TinyGptArchitecture.Space.Enumerate())
        {
            // P(architecture): its depth, then every scalar and every active layer slot (inactive slots sum out to 1).
            var encoding = TinyGptArchitecture.Space.Encode(architecture, EncodingKind.OneHot);
            double p = 1;
            int offset = 0;
            foreach (var dim in d.Dimensions)
            {
                for (int slot = 0; slot < dim.Slots; slot++, offset += dim.Count)
                {
                    var block = encoding.AsSpan(offset, dim.Count);
                    int chosen = block.IndexOf(1.0);
                    if (chosen >= 0)
                        p *= weights[dim.GeneOffset + slot].data<double>()[chosen];
                }
            }
            total += p;
            parameters += p * TinyGptModel.CountParameters(architecture);
            flops += p * TinyGptModel.CountFlopsPerToken(architecture, 8);
        }
        Assert.Equal(1, total, 9);
        Assert.Equal(parameters, TinyGptModel.ExpectedParameters(mixture).ToDouble(), 6);
        Assert.Equal(flops, TinyGptModel.ExpectedFlopsPerToken(mixture, 8).ToDouble(), 6);
    }
}
