using System.Buffers.Binary;
using System.Text;
using TorchSharp;

namespace SearchSpaceDsl.Tests.Checkpoints;

/// <summary>A new empty folder under the system temp folder for one test, deleted with everything in it on dispose.</summary>
internal sealed class CheckpointDirectory : IDisposable
{
    public CheckpointDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "SearchSpaceDsl.Tests.Checkpoints", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>Helpers to build tensors with chosen bits, read their bits back, and write safetensors files by hand.</summary>
internal static class CheckpointTestFiles
{
    /// <summary>The raw bytes of a tensor (any device, any layout).</summary>
    public static byte[] BytesOf(torch.Tensor tensor)
    {
        using var detached = tensor.detach();
        using var cpu = detached.cpu();
        using var contiguous = cpu.contiguous();
        return contiguous.bytes.ToArray();
    }

    /// <summary>
    /// A CPU tensor of <paramref name="type"/> and <paramref name="shape"/> filled with random bytes (so floats include
    /// NaN payloads, infinities, subnormals and negative zero); booleans get 0 or 1.
    /// </summary>
    public static torch.Tensor RandomBits(Random random, torch.ScalarType type, params long[] shape)
    {
        var tensor = torch.empty(shape, type);
        var bytes = tensor.bytes;
        random.NextBytes(bytes);
        if (type == torch.ScalarType.Bool)
        {
            foreach (ref byte b in bytes)
                b &= 1;
        }
        return tensor;
    }

    /// <summary>Writes a file made of the header length, <paramref name="header"/> as UTF-8, and <paramref name="dataLength"/> bytes.</summary>
    public static void WriteRaw(string path, string header, long dataLength)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        using var stream = new FileStream(path, FileMode.Create);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)json.Length);
        stream.Write(length);
        stream.Write(json);
        stream.Write(new byte[dataLength]);
    }

    /// <summary>The names of every file in <paramref name="directory"/>, sorted.</summary>
    public static string[] FileNames(string directory) =>
        [.. Directory.GetFiles(directory).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal)];
}
