using Microsoft.CodeAnalysis;

namespace SearchSpaceDsl.Generators.Tests;

/// <summary>The architecture of a supernet may come from another assembly: its choices are read from metadata.</summary>
public sealed class SupernetArchitectureTests
{
    [Fact]
    public void The_zoo_space_of_a_referenced_assembly_sizes_a_supernet()
    {
        var run = GeneratorHarness.Run("""
            using SearchSpaceDsl;
            using SearchSpaceDsl.Supernets;
            using SearchSpaceDsl.Zoo;
            using TorchSharp;
            using TorchSharp.Modules;
            using static TorchSharp.torch;
            namespace Bench;
            [Supernet(typeof(HwGptBenchS))]
            public sealed partial class GptS : nn.Module<Tensor, Tensor>
            {
                [Embedding(Vocab = 50257, Dim = nameof(HwGptBenchS.EmbedDim), TiedHead = true)] private partial EntangledEmbedding Tokens { get; }
                [PerLayer(nameof(HwGptBenchS.Layers)), SelfAttention(Dim = nameof(HwGptBenchS.EmbedDim), Heads = nameof(HwGptBenchS.Heads), HeadSize = 64, Bias = nameof(HwGptBenchS.Bias))]
                private partial ModuleList<EntangledSelfAttention> Attention { get; }
                [PerLayer(nameof(HwGptBenchS.Layers)), Mlp(Dim = nameof(HwGptBenchS.EmbedDim), HiddenRatio = nameof(HwGptBenchS.MlpRatio), Bias = nameof(HwGptBenchS.Bias))]
                private partial ModuleList<EntangledMlp> Mlp { get; }
                public override Tensor forward(Tensor tokens) => tokens;
            }
            """);

        Assert.Empty(run.GeneratorDiagnostics);
        var source = run.SourceText("Bench.GptS-Supernet.g.cs");
        Assert.Contains("architecture.MlpRatio[__i] * architecture.EmbedDim", source);
        Assert.Empty(run.OutputDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()));
    }
}
