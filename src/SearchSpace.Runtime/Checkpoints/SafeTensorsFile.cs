using System.Buffers;
using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;
using TorchSharp;

namespace SearchSpaceDsl.Checkpoints;

/// <summary>
/// Reads and writes the safetensors format: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
/// (<c>{"name": {"dtype": "F32", "shape": [4, 3], "data_offsets": [0, 48]}, ..., "__metadata__": {"k": "v"}}</c>,
/// offsets relative to the first byte after the header), then the tensors' little-endian bytes, back to back.
/// </summary>
/// <remarks>
/// Files written here have their tensors ordered by name (ordinal), <c>__metadata__</c> first with its keys ordered
/// too, and the header padded with spaces to a multiple of 8 bytes, so the same tensors always give the same bytes.
/// Supported dtypes: see <see cref="SafeTensorsDType"/>. Little-endian machines only.
/// </remarks>
public static partial class SafeTensorsFile
{
    /// <summary>The name under which the header keeps its metadata; no tensor may have it.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>
    /// Writes <paramref name="tensors"/> and <paramref name="metadata"/> to <paramref name="path"/> atomically: the
    /// file is written under a temporary name in the same folder, flushed to disk, then renamed over
    /// <paramref name="path"/>, so <paramref name="path"/> holds either its previous content or the whole new file, and
    /// on failure the temporary file is removed. Each tensor is copied to the CPU and made contiguous, one at a time,
    /// only while it is written. The tensors are not changed.
    /// </summary>
    /// <param name="path">The file to write; its folder must exist. An existing file is replaced.</param>
    /// <param name="tensors">The tensors by name; any device, dtypes with a safetensors code.</param>
    /// <param name="metadata">Strings for the header's <c>__metadata__</c>; omitted when null or empty.</param>
    /// <exception cref="ArgumentException">
    /// A tensor is null, is named <c>__metadata__</c>, or has a dtype without a safetensors code; a metadata value is null.
    /// </exception>
    /// <exception cref="InvalidOperationException">A tensor's data cannot be copied to the CPU, or it changed while being written.</exception>
    /// <exception cref="PlatformNotSupportedException">The machine is big-endian.</exception>
    public static void Save(string path, IReadOnlyDictionary<string, torch.Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tensors);
        EnsureLittleEndian();
        string fullPath = Path.GetFullPath(path);

        // Everything that can be checked without the data is checked before any file exists.
        var items = tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToArray();
        var entries = new SafeTensorsEntry[items.Length];
        long offset = 0;
        for (int i = 0; i < items.Length; i++)
        {
            entries[i] = Describe(items[i].Key, items[i].Value, offset);
            offset = entries[i].End;
        }
        byte[] header = BuildHeader(entries, metadata);

        string directory = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' names no file.", nameof(path));
        string temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 20))
            {
                Span<byte> length = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
                stream.Write(length);
                stream.Write(header);
                for (int i = 0; i < items.Length; i++)
                    WriteData(fullPath, entries[i], items[i].Value, stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static SafeTensorsEntry Describe(string name, torch.Tensor? tensor, long begin)
    {
        if (name == MetadataKey)
            throw new ArgumentException($"No tensor may be named '{MetadataKey}': the header keeps its metadata under that name.", "tensors");
        if (tensor is null)
            throw new ArgumentException($"Tensor '{name}' is null.", "tensors");
        var type = tensor.dtype;
        if (!SafeTensorsDType.TryGetCode(type, out string code))
            throw new ArgumentException($"Tensor '{name}' has dtype {type}, which safetensors cannot store; supported: {SafeTensorsDType.SupportedCodes}.", "tensors");
        SafeTensorsDType.TryParse(code, out _, out int size);
        long[] shape = tensor.shape;
        long count = tensor.numel();
        long end = checked(begin + count * size);
        return new SafeTensorsEntry(name, code, type, size, shape, count, begin, end);
    }

    private static byte[] BuildHeader(SafeTensorsEntry[] entries, IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        // Names stay readable (UTF-8, '+' and '<' unescaped); the result is valid JSON all the same.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    if (value is null)
                        throw new ArgumentException($"Metadata value '{key}' is null.", nameof(metadata));
                    json.WriteString(key, value);
                }
                json.WriteEndObject();
            }
            foreach (var entry in entries)
            {
                json.WriteStartObject(entry.Name);
                json.WriteString("dtype", entry.DType);
                json.WriteStartArray("shape");
                foreach (long dimension in entry.Shape)
                    json.WriteNumberValue(dimension);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(entry.Begin);
                json.WriteNumberValue(entry.End);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        // Padding to 8 bytes keeps the data, and so every 8-byte element, aligned in memory-mapped readers.
        int padded = (buffer.WrittenCount + 7) & ~7;
        byte[] header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    private static void WriteData(string path, SafeTensorsEntry entry, torch.Tensor tensor, Stream stream)
    {
        torch.Tensor? detached = null, onCpu = null, contiguous = null;
        try
        {
            try
            {
                detached = tensor.detach();
                onCpu = detached.cpu();
                contiguous = onCpu.contiguous();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new InvalidOperationException($"Cannot write tensor '{entry.Name}' to '{path}': its data cannot be copied to the CPU. {e.Message}", e);
            }
            if (contiguous.dtype != entry.ScalarType || contiguous.numel() != entry.ElementCount || !contiguous.shape.SequenceEqual(entry.Shape))
                throw new InvalidOperationException($"Cannot write tensor '{entry.Name}' to '{path}': it changed while the file was written.");
            TensorBytes.Write(contiguous, stream);
        }
        finally
        {
            contiguous?.Dispose();
            onCpu?.Dispose();
            detached?.Dispose();
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the checkpoint at the real path is intact either way.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    private static void EnsureLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("safetensors files are little-endian; this machine is big-endian, which is not supported.");
    }
}
