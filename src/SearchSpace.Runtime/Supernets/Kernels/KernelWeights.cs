using System.Collections.Immutable;
using SearchSpaceDsl.Kernels;
using SearchSpaceDsl.Zoo;
using TorchSharp;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Supernets;

/// <summary>
/// The bridge from a TorchSharp supernet to the ILGPU kernel path (<see cref="KernelGpt"/>): its max-size weights as
/// host float32 tensors under their state-dict names. It lives in the runtime because the kernels assembly never
/// references TorchSharp (it must travel alone to the GPU machine), while every supernet user has the runtime.
/// </summary>
public static class KernelWeights
{
    /// <summary>
    /// Every entry of <paramref name="module"/>'s state dict (parameters and buffers) as a float32 <see cref="HostTensor"/>
    /// (copied to the CPU, made contiguous, converted from other floating dtypes), keyed by its state-dict name.
    /// </summary>
    /// <exception cref="ArgumentException">An entry is not floating point, or has a dimension beyond 32-bit sizes.</exception>
    public static Dictionary<string, HostTensor> FromModule(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var result = new Dictionary<string, HostTensor>(StringComparer.Ordinal);
        using var scope = NewDisposeScope();
        foreach (var (name, tensor) in module.state_dict())
        {
            if (!tensor.is_floating_point())
                throw new ArgumentException($"State-dict entry '{name}' has dtype {tensor.dtype}, not floating point.", nameof(module));
            var shape = new int[tensor.Dimensions];
            for (int i = 0; i < shape.Length; i++)
            {
                if (tensor.shape[i] > int.MaxValue)
                    throw new ArgumentException($"State-dict entry '{name}' has a dimension of {tensor.shape[i]}.", nameof(module));
                shape[i] = (int)tensor.shape[i];
            }
            using var values = tensor.detach().to(float32).cpu().contiguous();
            result.Add(name, new HostTensor(shape, values.data<float>().ToArray()));
        }
        return result;
    }

    /// <summary>
    /// Uploads the max-size weights of a GPT supernet of the TinyGpt / HW-GPT-Bench family (see <see cref="KernelGpt"/>)
    /// to the accelerator of <paramref name="kernels"/>, once; any sub-network then runs without re-upload.
    /// </summary>
    /// <param name="kernels">The kernel library of the accelerator.</param>
    /// <param name="supernet">The supernet module (its state dict is read).</param>
    /// <param name="headSize">The fixed head size (64 in HW-GPT-Bench, 16 in the TinyGpt sample).</param>
    public static KernelGpt UploadGpt(KernelLibrary kernels, nn.Module supernet, int headSize) =>
        KernelGpt.Upload(kernels, FromModule(supernet), headSize);

    /// <summary>The kernel-path sizes of a GPT architecture: hidden width = ratio·width per layer.</summary>
    /// <exception cref="ArgumentException">Fewer heads or ratios than layers.</exception>
    public static GptSizes Sizes(int embedDim, int layers, ImmutableArray<int> heads, ImmutableArray<int> mlpRatio, bool bias)
    {
        if (heads.Length < layers || mlpRatio.Length < layers)
            throw new ArgumentException($"Need heads and MLP ratios for {layers} layers; got {heads.Length} and {mlpRatio.Length}.");
        var hidden = new int[layers];
        for (int i = 0; i < layers; i++)
            hidden[i] = mlpRatio[i] * embedDim;
        return new GptSizes(embedDim, layers, heads.Take(layers).ToArray(), hidden, bias);
    }

    /// <summary>The kernel-path sizes of an HW-GPT-Bench space-S architecture (<see cref="HwGptBenchSModel"/>, heads of 64).</summary>
    public static GptSizes Sizes(HwGptBenchS architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        return Sizes(architecture.EmbedDim, architecture.Layers, architecture.Heads, architecture.MlpRatio, architecture.Bias);
    }
}
