using System.Diagnostics;
using ILGPU;
using ILGPU.Runtime;

namespace SearchSpaceDsl.Kernels.Bench;

/// <summary>
/// Times every kernel at one <see cref="BenchShapes"/>: the weights are max-size (random), the launch uses the active
/// sizes, exactly as a sub-network of a supernet does. Each op: one warm-up launch, then the median over repeats of
/// launch + <c>Synchronize</c>.
/// </summary>
internal sealed class KernelBenchmarks : IDisposable
{
    private readonly KernelContext _context;
    private readonly BenchShapes _s;
    private readonly int _repeats;
    private readonly List<IDisposable> _buffers = [];
    private readonly Random _random = new(1);

    public KernelBenchmarks(KernelContext context, BenchShapes shapes, int repeats)
    {
        _context = context;
        _s = shapes;
        _repeats = repeats;
    }

    public void Run()
    {
        var s = _s;
        var k = _context.Library;
        int rows = s.Rows;

        // Max-size weights: fused q/k/v [3·innerMax, dMax], output [dMax, innerMax], fc1 [hiddenMax, dMax],
        // fc2 [dMax, hiddenMax], embeddings [vocab, dMax] and [seq, dMax], a norm's γ and β [dMax].
        var wQkv = Matrix(3 * s.InnerMax, s.DimMax);
        var bQkv = Vector(3 * s.InnerMax);
        var wOut = Matrix(s.DimMax, s.InnerMax);
        var bOut = Vector(s.DimMax);
        var wFc1 = Matrix(s.HiddenMax, s.DimMax);
        var bFc1 = Vector(s.HiddenMax);
        var wFc2 = Matrix(s.DimMax, s.HiddenMax);
        var bFc2 = Vector(s.DimMax);
        var tokens = Matrix(s.Vocab, s.DimMax);
        var positions = Matrix(s.Seq, s.DimMax);
        var gamma = Vector(s.DimMax);
        var beta = Vector(s.DimMax);

        // Activations at the active sizes.
        var x = Matrix(rows, s.Dim);
        var h = Matrix(rows, s.Dim);
        var qkv = Matrix(rows, 3 * s.Inner);
        var attended = Matrix(rows, s.Inner);
        var u = Matrix(rows, s.Hidden);
        var logits = Matrix(rows, s.Vocab);
        var idsBuffer = _context.Accelerator.Allocate1D(Enumerable.Range(0, rows).Select(_ => _random.Next(s.Vocab)).ToArray());
        _buffers.Add(idsBuffer);

        string Gemm(int n, int m) => $"{rows}x{n} -> {m}";
        double GemmBytes(int n, int m) => 4.0 * ((double)rows * n + (double)n * m + (double)rows * m);

        Time("qkv", Gemm(s.Dim, 3 * s.Inner), SlicedGemmKernel.Flops(rows, s.Dim, 3 * s.Inner), GemmBytes(s.Dim, 3 * s.Inner),
            () => k.Gemm.Run(x, wQkv, bQkv.Data, qkv, rows, s.Dim, 3 * s.Inner));
        var shape = AttentionShape.MultiHead(s.Batch, s.Seq, s.Heads, s.HeadSize);
        Time("attention", $"{s.Batch}x{s.Heads}x{s.Seq}x{s.HeadSize}", CausalAttentionKernel.Flops(shape), 4.0 * 4 * rows * s.Inner,
            () => k.Attention.Run(qkv.SliceColumns(0, s.Inner), qkv.SliceColumns(s.Inner, s.Inner),
                qkv.SliceColumns(2 * s.Inner, s.Inner), attended, shape));
        Time("attn-out", Gemm(s.Inner, s.Dim), SlicedGemmKernel.Flops(rows, s.Inner, s.Dim), GemmBytes(s.Inner, s.Dim),
            () => k.Gemm.Run(attended, wOut, bOut.Data, h, rows, s.Inner, s.Dim));
        Time("fc1+gelu", Gemm(s.Dim, s.Hidden), SlicedGemmKernel.Flops(rows, s.Dim, s.Hidden), GemmBytes(s.Dim, s.Hidden),
            () => k.Gemm.Run(x, wFc1, bFc1.Data, u, rows, s.Dim, s.Hidden, gelu: true));
        Time("fc2", Gemm(s.Hidden, s.Dim), SlicedGemmKernel.Flops(rows, s.Hidden, s.Dim), GemmBytes(s.Hidden, s.Dim),
            () => k.Gemm.Run(u, wFc2, bFc2.Data, h, rows, s.Hidden, s.Dim));
        Time("layernorm", $"{rows}x{s.Dim}", LayerNormKernel.Flops(rows, s.Dim), 4.0 * (2.0 * rows * s.Dim + 2 * s.Dim),
            () => k.LayerNorm.Run(x, gamma.Data, beta.Data, h, rows, s.Dim));
        Time("residual-add", $"{rows}x{s.Dim}", ResidualAddKernel.Flops(rows, s.Dim), 12.0 * rows * s.Dim,
            () => k.ResidualAdd.Run(h, x, rows, s.Dim));
        Time("embedding", $"{rows}x{s.Dim} (+pos)", (double)rows * s.Dim, EmbeddingKernel.Bytes(rows, s.Dim, positions: true),
            () => k.Embedding.Run(idsBuffer.View, tokens, positions, x, rows, s.Dim, s.Seq));
        Time("lm-head", Gemm(s.Dim, s.Vocab), SlicedGemmKernel.Flops(rows, s.Dim, s.Vocab), GemmBytes(s.Dim, s.Vocab),
            () => k.Gemm.Run(h, tokens, null, logits, rows, s.Dim, s.Vocab));
    }

    private void Time(string op, string shape, double flops, double bytes, Action launch)
    {
        var accelerator = _context.Accelerator;
        launch();
        accelerator.Synchronize();
        var times = new double[_repeats];
        for (int i = 0; i < _repeats; i++)
        {
            long start = Stopwatch.GetTimestamp();
            launch();
            accelerator.Synchronize();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        double median = _repeats % 2 == 1 ? times[_repeats / 2] : (times[_repeats / 2 - 1] + times[_repeats / 2]) / 2;
        Console.WriteLine(BenchTable.Row(_s.Name, op, shape, median, flops, bytes));
    }

    private DeviceMatrix Matrix(int rows, int columns)
    {
        var data = new float[(long)rows * columns];
        for (long i = 0; i < data.Length; i++)
            data[i] = (float)(_random.NextDouble() * 0.2 - 0.1);
        var buffer = _context.Accelerator.Allocate1D(data);
        _buffers.Add(buffer);
        return new DeviceMatrix(buffer.View, rows, columns);
    }

    private DeviceMatrix Vector(int length) => Matrix(1, length);

    public void Dispose()
    {
        foreach (var buffer in _buffers)
            buffer.Dispose();
    }
}
