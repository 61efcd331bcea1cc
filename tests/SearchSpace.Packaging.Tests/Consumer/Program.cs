// A user's program against the SearchSpaceDsl package. The generator, an analyzer inside the package, completes the
// [SearchSpace] and [Supernet] classes below; the package's build targets add TorchSharp's native loader to this assembly.
// ConsumerTests asserts on the printed lines.
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using SearchSpaceDsl;
using SearchSpaceDsl.Supernets;
using TorchSharp.Modules;
using static TorchSharp.torch;

// nameof fails to compile unless the package's build targets generated the initializer into this project.
Console.WriteLine($"initializer: {nameof(SearchSpaceDslTorchSharpInitializer)}");
// TorchSharp before anything of SearchSpaceDsl: only that initializer can have installed the native loader by now.
Torch();
Search();

[MethodImpl(MethodImplOptions.NoInlining)]
static void Torch()
{
    using var sum = ones(2, 3).sum();
    Console.WriteLine($"torch: {sum.item<float>()}");
}

[MethodImpl(MethodImplOptions.NoInlining)]
static void Search()
{
    var space = ConsumerArchitecture.Space;
    Console.WriteLine($"cardinality: {space.Cardinality}");
    var architecture = space.Sample(new Random(1));
    Console.WriteLine($"sample: {architecture}");
    Console.WriteLine($"parsed back: {ConsumerArchitecture.Parse(architecture.ToString()) == architecture}");

    using var supernet = new ConsumerModel();
    supernet.Activate(architecture);
    using var input = ones(2, 4);
    using var output = supernet.forward(input);
    Console.WriteLine($"forward: [{string.Join(", ", output.shape)}]");
    using var dense = supernet.Extract(architecture);
    using var denseOutput = dense.forward(input);
    Console.WriteLine($"extracted equal: {denseOutput.allclose(output)}");
    Console.WriteLine($"parameters: {ConsumerModel.CountParameters(architecture)} counted, {dense.parameters().Sum(p => p.numel())} extracted");
}

/// <summary>2 widths × bias on/off × (2 + 4 + 8) per-layer ratio combinations over 1–3 layers = 56 architectures.</summary>
[SearchSpace]
public sealed partial class ConsumerArchitecture
{
    [Choice(8, 16)] public partial int Width { get; }

    [Choice(1, 2, 3)] public partial int Layers { get; }

    [Choice(1, 2), PerLayer(nameof(Layers))] public partial ImmutableArray<int> Ratio { get; }

    [Choice] public partial bool Bias { get; }
}

/// <summary>A residual MLP stack over 4 input features with one output.</summary>
[Supernet(typeof(ConsumerArchitecture))]
public sealed partial class ConsumerModel : nn.Module<Tensor, Tensor>
{
    [Linear(In = 4, Out = nameof(ConsumerArchitecture.Width), Bias = nameof(ConsumerArchitecture.Bias))]
    private partial EntangledLinear Input { get; }

    [PerLayer(nameof(ConsumerArchitecture.Layers))]
    [Mlp(Dim = nameof(ConsumerArchitecture.Width), HiddenRatio = nameof(ConsumerArchitecture.Ratio), Bias = nameof(ConsumerArchitecture.Bias))]
    private partial ModuleList<EntangledMlp> Blocks { get; }

    [Linear(In = nameof(ConsumerArchitecture.Width), Out = 1)]
    private partial EntangledLinear Output { get; }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        x = Input.forward(x);
        for (int layer = 0; layer < Active.Layers; layer++)
            x = x + Blocks[layer].forward(x);
        return Output.forward(x).MoveToOuterDisposeScope();
    }
}
