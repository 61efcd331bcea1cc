using SearchSpaceDsl.Supernets;
using TorchSharp;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets;

/// <summary>
/// Every entangled layer kind as a source supernet with random weights, and random active configurations of it: for
/// each, the dense target (a layer of the same type whose max sizes are the active sizes), an input, and the parameter
/// count the static formula gives. Shared by the active-slice and the cost-formula tests.
/// </summary>
internal static class EntangledLayerCases
{
    /// <summary>Random active configurations drawn per layer kind.</summary>
    public const int Configurations = 20;

    /// <summary>One active configuration of a source: its target at max = active sizes, an input, the static count.</summary>
    public sealed record Active(nn.Module<Tensor, Tensor> Target, Tensor Input, long StaticParameterCount, string Description);

    /// <summary>A layer kind: creates a randomized source and activates a random configuration of it.</summary>
    public sealed record Kind(
        Func<Generator, nn.Module<Tensor, Tensor>> CreateSource,
        Func<nn.Module<Tensor, Tensor>, Random, Generator, Active> Activate);

    private const int Vocab = 11;

    public static readonly Dictionary<string, Kind> Kinds = new()
    {
        ["linear"] = new(g => Randomized(new EntangledLinear("proj", 13, 9, hasBias: true), g), (m, r, g) =>
        {
            var layer = (EntangledLinear)m;
            int input = r.Next(1, 14), output = r.Next(1, 10);
            var bias = r.Next(2) == 1;
            layer.SetActive(input, output, bias);
            var target = new EntangledLinear("target", input, output, bias);
            target.SetActive(input, output, bias);
            return new(target, randn([3, input], generator: g), EntangledLinear.CountParameters(input, output, bias),
                $"in={input} out={output} bias={bias}");
        }),
        ["embedding"] = new(g => Randomized(new EntangledEmbedding("wte", Vocab, 9), g), (m, r, g) =>
        {
            var dim = r.Next(1, 10);
            ((EntangledEmbedding)m).SetActive(dim);
            var target = new EntangledEmbedding("target", Vocab, dim);
            target.SetActive(dim);
            return new(target, randint(0, Vocab, [2, 4], generator: g), EntangledEmbedding.CountParameters(Vocab, dim),
                $"d={dim}");
        }),
        ["layer-norm"] = new(g => Randomized(new EntangledLayerNorm("ln", 13), g), (m, r, g) =>
        {
            var dim = r.Next(1, 14);
            ((EntangledLayerNorm)m).SetActive(dim);
            var target = new EntangledLayerNorm("target", dim);
            target.SetActive(dim);
            return new(target, randn([3, dim], generator: g), EntangledLayerNorm.CountParameters(dim), $"d={dim}");
        }),
        ["rms-norm"] = new(g => Randomized(new EntangledRmsNorm("rms", 13), g), (m, r, g) =>
        {
            var dim = r.Next(1, 14);
            ((EntangledRmsNorm)m).SetActive(dim);
            var target = new EntangledRmsNorm("target", dim);
            target.SetActive(dim);
            return new(target, randn([3, dim], generator: g), EntangledRmsNorm.CountParameters(dim), $"d={dim}");
        }),
        ["mlp"] = new(g => Randomized(new EntangledMlp("mlp", 10, 24, hasBias: true), g), (m, r, g) =>
        {
            int dim = r.Next(1, 11), hidden = r.Next(1, 25);
            var bias = r.Next(2) == 1;
            ((EntangledMlp)m).SetActive(dim, hidden, bias);
            var target = new EntangledMlp("target", dim, hidden, bias);
            target.SetActive(dim, hidden, bias);
            return new(target, randn([2, 3, dim], generator: g), EntangledMlp.CountParameters(dim, hidden, bias),
                $"d={dim} hidden={hidden} bias={bias}");
        }),
        ["attention-fixed-head-size"] = Attention(dimMax: 12, headsMax: 4, headSizeMax: 4, kvGroupsMax: 0, headSizeIsChoice: false),
        ["attention-head-size-choice"] = Attention(dimMax: 12, headsMax: 4, headSizeMax: 5, kvGroupsMax: 0, headSizeIsChoice: true),
        ["attention-gqa"] = Attention(dimMax: 10, headsMax: 6, headSizeMax: 4, kvGroupsMax: 3, headSizeIsChoice: true),
    };

    public static TheoryData<string> Names => new(Kinds.Keys);

    private static Kind Attention(int dimMax, int headsMax, int headSizeMax, int kvGroupsMax, bool headSizeIsChoice) =>
        new(g => Randomized(new EntangledSelfAttention("attn", dimMax, headsMax, headSizeMax, hasBias: true, kvGroupsMax), g),
            (m, r, g) =>
            {
                var dim = r.Next(1, dimMax + 1);
                var headSize = headSizeIsChoice ? r.Next(1, headSizeMax + 1) : headSizeMax;
                var bias = r.Next(2) == 1;
                int heads, groups = 0;
                if (kvGroupsMax == 0)
                    heads = r.Next(1, headsMax + 1);
                else
                {
                    groups = r.Next(1, kvGroupsMax + 1);
                    heads = groups * r.Next(1, headsMax / kvGroupsMax + 1);
                }
                ((EntangledSelfAttention)m).SetActive(dim, heads, headSize, bias, groups);
                var target = new EntangledSelfAttention("target", dim, heads, headSize, bias, groups);
                target.SetActive(dim, heads, headSize, bias, groups);
                return new(target, randn([2, 5, dim], generator: g),
                    EntangledSelfAttention.CountParameters(dim, heads, headSize, bias, groups),
                    $"d={dim} h={heads} hs={headSize} bias={bias} g={groups}");
            });

    /// <summary>Fills every parameter with N(0, 0.5²), so that reading a wrong entry (or γ = 1, β = 0) shows.</summary>
    private static nn.Module<Tensor, Tensor> Randomized(nn.Module<Tensor, Tensor> module, Generator generator)
    {
        using var noGrad = no_grad();
        foreach (var parameter in module.parameters())
        {
            using var values = randn(parameter.shape, dtype: parameter.dtype, generator: generator) * 0.5;
            parameter.copy_(values);
        }
        return module;
    }
}
