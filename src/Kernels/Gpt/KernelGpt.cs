using System.Globalization;
using ILGPU;
using ILGPU.Runtime;

namespace SearchSpaceDsl.Kernels;

/// <summary>
/// Inference of any sub-network of a GPT supernet on an accelerator (CUDA when present, else ILGPU's CPU accelerator):
/// the max-size weights are uploaded once; <see cref="Logits"/> and <see cref="Loss"/> then run the sub-network given by
/// <see cref="GptSizes"/> by passing its sizes to the kernels, with no re-upload, copy or recompilation.
/// </summary>
/// <remarks>
/// <para>The model is that of the TinyGpt sample and of HW-GPT-Bench (<c>TinyGptModel</c>, <c>HwGptBenchSModel</c>):
/// token and position embeddings <c>E[:, :d]</c>, <c>P[:seq, :d]</c>; pre-norm blocks
/// <c>x += attn(LN1(x))</c>, <c>x += fc2(GELU(fc1(LN2(x))))</c> of causal multi-head attention with a fixed head size;
/// a final LayerNorm; logits <c>LN(x)·E[:, :d]ᵀ</c> (the head tied to the token embedding, no bias). Weights are named as
/// in the supernet's state dict: <c>tokens.weight</c>, <c>positions.weight</c>, <c>norm1.{i}.weight</c>/<c>bias</c>,
/// <c>attention.{i}.query</c>/<c>key</c>/<c>value</c>/<c>output.weight</c> (and <c>.bias</c>), <c>norm2.{i}.…</c>,
/// <c>mlp.{i}.fc1</c>/<c>fc2.weight</c> (and <c>.bias</c>), <c>final_norm.weight</c>/<c>bias</c>; every maximum
/// (width, depth, heads and hidden width per layer, bias) is read from the shapes.</para>
/// <para>One forward: the embedding gather; per block a LayerNorm, three sliced GEMMs writing the query, key and value
/// column blocks of one fused buffer, attention reading them with strides, the output GEMM and a residual add, a
/// LayerNorm, fc1 with fused GELU, fc2 and a residual add; the final LayerNorm and the head GEMM; optionally the
/// cross-entropy. Activation buffers are allocated for the largest batch·seq seen and reused. Not thread-safe.</para>
/// </remarks>
public sealed class KernelGpt : IDisposable
{
    private readonly Accelerator _accelerator;
    private readonly KernelLibrary _kernels;
    private readonly List<MemoryBuffer1D<float, Stride1D.Dense>> _weights = [];
    private readonly DeviceMatrix _tokens, _positions;
    private readonly (ArrayView<float> Weight, ArrayView<float> Bias) _finalNorm;
    private readonly Block[] _blocks;
    private Scratch? _scratch;

    private KernelGpt(KernelLibrary kernels, IReadOnlyDictionary<string, HostTensor> weights, int headSize, float eps)
    {
        _kernels = kernels;
        _accelerator = kernels.Accelerator;
        HeadSize = headSize;
        Eps = eps;
        try
        {
            var tokens = Get(weights, "tokens.weight", 2);
            Vocab = tokens.Shape[0];
            DimMax = tokens.Shape[1];
            var positions = Get(weights, "positions.weight", 2, columns: DimMax);
            Context = positions.Shape[0];
            _tokens = Upload(tokens);
            _positions = Upload(positions);
            _finalNorm = UploadNorm(weights, "final_norm");

            int layers = 0;
            while (weights.ContainsKey(Name("norm1", layers, "weight")))
                layers++;
            if (layers == 0)
                throw new ArgumentException("The weights hold no block ('norm1.0.weight' is missing).", nameof(weights));
            HasBias = weights.ContainsKey(Name("attention", 0, "query.bias"));
            _blocks = new Block[layers];
            for (int i = 0; i < layers; i++)
                _blocks[i] = UploadBlock(weights, i);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>
    /// Uploads the max-size weights of a GPT supernet (named as its state dict; see the remarks) to the accelerator of
    /// <paramref name="kernels"/>.
    /// </summary>
    /// <param name="kernels">The kernels, and with them the accelerator.</param>
    /// <param name="weights">State-dict name → tensor, float32.</param>
    /// <param name="headSize">The fixed head size (the stride of heads in the projections; at most
    /// <see cref="CausalAttentionKernel.MaxHeadSize"/>).</param>
    /// <param name="eps">The LayerNorms' epsilon.</param>
    /// <exception cref="ArgumentException">A weight is missing or has a shape that does not fit the others; the message
    /// names it.</exception>
    public static KernelGpt Upload(KernelLibrary kernels, IReadOnlyDictionary<string, HostTensor> weights, int headSize,
        float eps = 1e-5f)
    {
        ArgumentNullException.ThrowIfNull(kernels);
        ArgumentNullException.ThrowIfNull(weights);
        SizeChecks.Fits("head size", headSize, CausalAttentionKernel.MaxHeadSize, "the attention kernel's maximum");
        return new KernelGpt(kernels, weights, headSize, eps);
    }

    /// <summary>The vocabulary (rows of the token embedding and of the logits).</summary>
    public int Vocab { get; }

    /// <summary>The longest sequence (rows of the position embedding).</summary>
    public int Context { get; }

    /// <summary>The largest embedding width.</summary>
    public int DimMax { get; }

    /// <summary>The number of stored blocks (the largest depth).</summary>
    public int LayersMax => _blocks.Length;

    /// <summary>The fixed head size.</summary>
    public int HeadSize { get; }

    /// <summary>The LayerNorms' epsilon.</summary>
    public float Eps { get; }

    /// <summary>Whether the linear layers hold biases.</summary>
    public bool HasBias { get; }

    /// <summary>The largest number of heads of block <paramref name="layer"/>.</summary>
    public int HeadsMax(int layer) => _blocks[layer].HeadsMax;

    /// <summary>The largest MLP hidden width of block <paramref name="layer"/>.</summary>
    public int HiddenMax(int layer) => _blocks[layer].HiddenMax;

    /// <summary>
    /// The logits <c>[batch, seq, Vocab]</c> (row-major) of sub-network <paramref name="sizes"/> for token ids
    /// <c>[batch, seq]</c>.
    /// </summary>
    /// <exception cref="ArgumentException">A size exceeds the uploaded weights (the message names the dimension), or the
    /// tokens do not match <c>batch·seq</c> or lie outside the vocabulary.</exception>
    public float[] Logits(int[] tokens, int batch, int seq, GptSizes sizes)
    {
        var scratch = Forward(tokens, batch, seq, sizes);
        int rows = batch * seq;
        var logits = new float[(long)rows * Vocab];
        scratch.Logits.View.SubView(0, logits.Length).CopyToCPU(logits);
        return logits;
    }

    /// <summary>
    /// The mean cross-entropy of sub-network <paramref name="sizes"/> predicting <paramref name="targets"/> from
    /// <paramref name="tokens"/> (both <c>[batch, seq]</c>), as <c>torch.nn.functional.cross_entropy</c>.
    /// </summary>
    /// <exception cref="ArgumentException">As <see cref="Logits"/>, or a target lies outside the vocabulary.</exception>
    public double Loss(int[] tokens, int[] targets, int batch, int seq, GptSizes sizes)
    {
        ArgumentNullException.ThrowIfNull(targets);
        CheckIds(nameof(targets), targets, batch, seq);
        var scratch = Forward(tokens, batch, seq, sizes);
        int rows = batch * seq;
        scratch.Targets.View.SubView(0, rows).CopyFromCPU(targets);
        _kernels.CrossEntropy.Run(new DeviceMatrix(scratch.Logits.View, rows, Vocab), scratch.Targets.View,
            scratch.Losses.View, rows, Vocab);
        var losses = new float[rows];
        scratch.Losses.View.SubView(0, rows).CopyToCPU(losses);
        double sum = 0;
        foreach (var loss in losses)
            sum += loss;
        return sum / rows;
    }

    /// <summary>Checks <paramref name="sizes"/> against the uploaded weights; the message names the dimension.</summary>
    /// <exception cref="ArgumentException">A size is below 1 or exceeds the weights.</exception>
    public void Validate(GptSizes sizes)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        SizeChecks.Fits("EmbedDim", sizes.EmbedDim, DimMax, "the model's embedding width");
        SizeChecks.Fits("Layers", sizes.Layers, LayersMax, "the model's blocks");
        if (sizes.Heads.Count < sizes.Layers || sizes.Hidden.Count < sizes.Layers)
            throw new ArgumentException(
                $"Heads and Hidden need an entry per layer ({sizes.Layers}); got {sizes.Heads.Count} and {sizes.Hidden.Count}.",
                nameof(sizes));
        if (sizes.Bias && !HasBias)
            throw new ArgumentException("Bias is on, but the model's linear layers hold no biases.", nameof(sizes));
        for (int i = 0; i < sizes.Layers; i++)
        {
            SizeChecks.Fits(string.Create(CultureInfo.InvariantCulture, $"Heads[{i}]"), sizes.Heads[i], _blocks[i].HeadsMax,
                $"the heads of block {i}:");
            SizeChecks.Fits(string.Create(CultureInfo.InvariantCulture, $"Hidden[{i}]"), sizes.Hidden[i], _blocks[i].HiddenMax,
                $"the MLP hidden width of block {i}:");
        }
    }

    private Scratch Forward(int[] tokens, int batch, int seq, GptSizes sizes)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        Validate(sizes);
        SizeChecks.Positive("batch", batch);
        SizeChecks.Fits("seq", seq, Context, "the model's context");
        CheckIds(nameof(tokens), tokens, batch, seq);

        int rows = batch * seq, d = sizes.EmbedDim;
        var s = EnsureScratch(rows);
        s.Ids.View.SubView(0, rows).CopyFromCPU(tokens);
        var k = _kernels;
        var x = new DeviceMatrix(s.X.View, rows, d);
        var h = new DeviceMatrix(s.H.View, rows, d);
        var t = new DeviceMatrix(s.T.View, rows, d);
        k.Embedding.Run(s.Ids.View, _tokens, _positions, x, rows, d, seq);
        for (int i = 0; i < sizes.Layers; i++)
        {
            var block = _blocks[i];
            int inner = sizes.Heads[i] * HeadSize, hidden = sizes.Hidden[i];
            bool bias = sizes.Bias;
            k.LayerNorm.Run(x, block.Norm1.Weight, block.Norm1.Bias, h, rows, d, Eps);
            // q, k and v are column blocks of one [rows, 3·inner] buffer; attention reads them through its row stride.
            var qkv = new DeviceMatrix(s.Qkv.View, rows, 3 * inner);
            var q = qkv.SliceColumns(0, inner);
            var kk = qkv.SliceColumns(inner, inner);
            var v = qkv.SliceColumns(2 * inner, inner);
            k.Gemm.Run(h, block.Query, bias ? block.QueryBias : null, q, rows, d, inner);
            k.Gemm.Run(h, block.Key, bias ? block.KeyBias : null, kk, rows, d, inner);
            k.Gemm.Run(h, block.Value, bias ? block.ValueBias : null, v, rows, d, inner);
            var attended = new DeviceMatrix(s.Attended.View, rows, inner);
            k.Attention.Run(q, kk, v, attended, AttentionShape.MultiHead(batch, seq, sizes.Heads[i], HeadSize));
            k.Gemm.Run(attended, block.Output, bias ? block.OutputBias : null, t, rows, inner, d);
            k.ResidualAdd.Run(t, x, rows, d);

            k.LayerNorm.Run(x, block.Norm2.Weight, block.Norm2.Bias, h, rows, d, Eps);
            var u = new DeviceMatrix(s.U.View, rows, hidden);
            k.Gemm.Run(h, block.Fc1, bias ? block.Fc1Bias : null, u, rows, d, hidden, gelu: true);
            k.Gemm.Run(u, block.Fc2, bias ? block.Fc2Bias : null, t, rows, hidden, d);
            k.ResidualAdd.Run(t, x, rows, d);
        }
        k.LayerNorm.Run(x, _finalNorm.Weight, _finalNorm.Bias, h, rows, d, Eps);
        k.Gemm.Run(h, _tokens, null, new DeviceMatrix(s.Logits.View, rows, Vocab), rows, d, Vocab);
        _accelerator.Synchronize();
        return s;
    }

    private void CheckIds(string name, int[] ids, int batch, int seq)
    {
        SizeChecks.Positive("batch", batch);
        SizeChecks.Positive("seq", seq);
        if (ids.Length != (long)batch * seq)
            throw new ArgumentException($"{name}: expected batch·seq = {batch}·{seq} = {(long)batch * seq} ids, got {ids.Length}.", name);
        for (int i = 0; i < ids.Length; i++)
        {
            if ((uint)ids[i] >= (uint)Vocab)
                throw new ArgumentException($"{name}[{i}] = {ids[i]} lies outside the vocabulary [0, {Vocab}).", name);
        }
    }

    private Scratch EnsureScratch(int rows)
    {
        if (_scratch is { } existing && existing.Rows >= rows)
            return existing;
        _scratch?.Dispose();
        int innerMax = 0, hiddenMax = 0;
        foreach (var block in _blocks)
        {
            innerMax = Math.Max(innerMax, block.HeadsMax * HeadSize);
            hiddenMax = Math.Max(hiddenMax, block.HiddenMax);
        }
        _scratch = new Scratch(_accelerator, rows, DimMax, innerMax, hiddenMax, Vocab);
        return _scratch;
    }

    private static string Name(string member, int layer, string parameter) =>
        string.Create(CultureInfo.InvariantCulture, $"{member}.{layer}.{parameter}");

    private static HostTensor Get(IReadOnlyDictionary<string, HostTensor> weights, string name, int rank,
        int rows = 0, int columns = 0)
    {
        if (!weights.TryGetValue(name, out var tensor))
            throw new ArgumentException($"The weights have no '{name}'.", nameof(weights));
        bool fits = tensor.Shape.Length == rank
            && (rows == 0 || tensor.Shape[0] == rows)
            && (columns == 0 || tensor.Shape[rank - 1] == columns);
        if (!fits)
        {
            string expected = rank == 1 ? $"[{Show(rows)}]" : $"[{Show(rows)}, {Show(columns)}]";
            throw new ArgumentException($"'{name}' has shape {tensor}; expected {expected}.", nameof(weights));
        }
        return tensor;

        static string Show(int size) => size == 0 ? "any" : size.ToString(CultureInfo.InvariantCulture);
    }

    private DeviceMatrix Upload(HostTensor tensor)
    {
        var buffer = _accelerator.Allocate1D(tensor.Data);
        _weights.Add(buffer);
        int rows = tensor.Shape.Length == 1 ? 1 : tensor.Shape[0];
        return new DeviceMatrix(buffer.View, rows, tensor.Shape[^1]);
    }

    private (ArrayView<float> Weight, ArrayView<float> Bias) UploadNorm(IReadOnlyDictionary<string, HostTensor> weights, string prefix) =>
        (Upload(Get(weights, prefix + ".weight", 1, DimMax)).Data, Upload(Get(weights, prefix + ".bias", 1, DimMax)).Data);

    private ArrayView<float>? UploadBias(IReadOnlyDictionary<string, HostTensor> weights, string name, int length) =>
        HasBias ? Upload(Get(weights, name, 1, length)).Data : null;

    private Block UploadBlock(IReadOnlyDictionary<string, HostTensor> weights, int i)
    {
        var norm1 = UploadNorm(weights, string.Create(CultureInfo.InvariantCulture, $"norm1.{i}"));
        var norm2 = UploadNorm(weights, string.Create(CultureInfo.InvariantCulture, $"norm2.{i}"));
        var queryHost = Get(weights, Name("attention", i, "query.weight"), 2, columns: DimMax);
        int inner = queryHost.Shape[0];
        if (inner % HeadSize != 0)
            throw new ArgumentException(
                $"'{Name("attention", i, "query.weight")}' has {inner} rows, not a multiple of the head size {HeadSize}.", nameof(weights));
        var fc1Host = Get(weights, Name("mlp", i, "fc1.weight"), 2, columns: DimMax);
        int hidden = fc1Host.Shape[0];
        return new Block
        {
            HeadsMax = inner / HeadSize,
            HiddenMax = hidden,
            Norm1 = norm1,
            Norm2 = norm2,
            Query = Upload(queryHost),
            QueryBias = UploadBias(weights, Name("attention", i, "query.bias"), inner),
            Key = Upload(Get(weights, Name("attention", i, "key.weight"), 2, inner, DimMax)),
            KeyBias = UploadBias(weights, Name("attention", i, "key.bias"), inner),
            Value = Upload(Get(weights, Name("attention", i, "value.weight"), 2, inner, DimMax)),
            ValueBias = UploadBias(weights, Name("attention", i, "value.bias"), inner),
            Output = Upload(Get(weights, Name("attention", i, "output.weight"), 2, DimMax, inner)),
            OutputBias = UploadBias(weights, Name("attention", i, "output.bias"), DimMax),
            Fc1 = Upload(fc1Host),
            Fc1Bias = UploadBias(weights, Name("mlp", i, "fc1.bias"), hidden),
            Fc2 = Upload(Get(weights, Name("mlp", i, "fc2.weight"), 2, DimMax, hidden)),
            Fc2Bias = UploadBias(weights, Name("mlp", i, "fc2.bias"), DimMax),
        };
    }

    /// <summary>Frees the weights and activation buffers.</summary>
    public void Dispose()
    {
        _scratch?.Dispose();
        _scratch = null;
        foreach (var buffer in _weights)
            buffer.Dispose();
        _weights.Clear();
    }

    private sealed class Block
    {
        public int HeadsMax, HiddenMax;
        public (ArrayView<float> Weight, ArrayView<float> Bias) Norm1, Norm2;
        public DeviceMatrix Query, Key, Value, Output, Fc1, Fc2;
        public ArrayView<float>? QueryBias, KeyBias, ValueBias, OutputBias, Fc1Bias, Fc2Bias;
    }

    /// <summary>Activation buffers for up to <see cref="Rows"/> tokens at the maximum sizes.</summary>
    private sealed class Scratch : IDisposable
    {
        public Scratch(Accelerator accelerator, int rows, int dim, int inner, int hidden, int vocab)
        {
            Rows = rows;
            X = accelerator.Allocate1D<float>((long)rows * dim);
            H = accelerator.Allocate1D<float>((long)rows * dim);
            T = accelerator.Allocate1D<float>((long)rows * dim);
            Qkv = accelerator.Allocate1D<float>(3L * rows * inner);
            Attended = accelerator.Allocate1D<float>((long)rows * inner);
            U = accelerator.Allocate1D<float>((long)rows * hidden);
            Logits = accelerator.Allocate1D<float>((long)rows * vocab);
            Losses = accelerator.Allocate1D<float>(rows);
            Ids = accelerator.Allocate1D<int>(rows);
            Targets = accelerator.Allocate1D<int>(rows);
        }

        public int Rows { get; }
        public MemoryBuffer1D<float, Stride1D.Dense> X { get; }
        public MemoryBuffer1D<float, Stride1D.Dense> H { get; }
        public MemoryBuffer1D<float, Stride1D.Dense> T { get; }
        public MemoryBuffer1D<float, Stride1D.Dense> Qkv { get; }
        public MemoryBuffer1D<float, Stride1D.Dense> Attended { get; }
        public MemoryBuffer1D<float, Stride1D.Dense> U { get; }
        public MemoryBuffer1D<float, Stride1D.Dense> Logits { get; }
        public MemoryBuffer1D<float, Stride1D.Dense> Losses { get; }
        public MemoryBuffer1D<int, Stride1D.Dense> Ids { get; }
        public MemoryBuffer1D<int, Stride1D.Dense> Targets { get; }

        public void Dispose()
        {
            X.Dispose(); H.Dispose(); T.Dispose(); Qkv.Dispose(); Attended.Dispose(); U.Dispose();
            Logits.Dispose(); Losses.Dispose(); Ids.Dispose(); Targets.Dispose();
        }
    }
}
