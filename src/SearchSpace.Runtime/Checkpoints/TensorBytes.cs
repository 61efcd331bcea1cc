using Microsoft.Win32.SafeHandles;
using TorchSharp;

namespace SearchSpaceDsl.Checkpoints;

/// <summary>
/// Moves the raw bytes of CPU contiguous tensors to and from files without an intermediate buffer, in chunks of at
/// most 1 GiB (views of the flattened tensor), since <see cref="torch.Tensor.bytes"/> is a span and so limited to 2 GiB.
/// </summary>
internal static class TensorBytes
{
    /// <summary>The most bytes moved through one span: 1 GiB.</summary>
    public const long DefaultChunkBytes = 1L << 30;

    /// <summary>
    /// Writes all bytes of <paramref name="tensor"/>, which must be on the CPU and contiguous, at most
    /// <paramref name="chunkBytes"/> (rounded down to whole elements, at least one) at a time.
    /// </summary>
    public static void Write(torch.Tensor tensor, Stream stream, long chunkBytes = DefaultChunkBytes)
    {
        long count = tensor.numel();
        long size = tensor.element_size();
        if (count == 0)
            return;
        if (count * size <= chunkBytes)
        {
            stream.Write(tensor.bytes);
            return;
        }
        using var flat = tensor.reshape(-1);
        long perChunk = Math.Max(1, chunkBytes / size);
        for (long start = 0; start < count; start += perChunk)
        {
            using var part = flat.narrow(0, start, Math.Min(perChunk, count - start));
            stream.Write(part.bytes);
        }
    }

    /// <summary>
    /// Fills <paramref name="tensor"/> (new, on the CPU, contiguous) with the file's bytes from <paramref name="offset"/> on.
    /// </summary>
    /// <exception cref="EndOfStreamException">The file ends before the tensor is filled.</exception>
    public static void Read(SafeFileHandle file, long offset, torch.Tensor tensor, long chunkBytes = DefaultChunkBytes)
    {
        long count = tensor.numel();
        long size = tensor.element_size();
        if (count == 0)
            return;
        if (count * size <= chunkBytes)
        {
            ReadExactly(file, offset, tensor.bytes);
            return;
        }
        using var flat = tensor.reshape(-1);
        long perChunk = Math.Max(1, chunkBytes / size);
        for (long start = 0; start < count; start += perChunk)
        {
            using var part = flat.narrow(0, start, Math.Min(perChunk, count - start));
            ReadExactly(file, offset + start * size, part.bytes);
        }
    }

    private static void ReadExactly(SafeFileHandle file, long offset, Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            int read = RandomAccess.Read(file, destination, offset);
            if (read == 0)
                throw new EndOfStreamException($"The file ends at byte {offset}, {destination.Length} bytes short.");
            destination = destination[read..];
            offset += read;
        }
    }
}
