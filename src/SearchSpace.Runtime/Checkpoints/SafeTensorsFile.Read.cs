using System.Buffers.Binary;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace SearchSpaceDsl.Checkpoints;

public static partial class SafeTensorsFile
{
    /// <summary>The largest header accepted, as the reference implementation has it: 100 MB.</summary>
    public const long MaxHeaderLength = 100_000_000;

    /// <summary>
    /// Opens <paramref name="path"/>, reads and validates its header, and returns its entries and metadata with the
    /// file kept open, so that each tensor's bytes are read only when <see cref="SafeTensorsContent.Load"/> asks for
    /// them (no tensor data is read here). Dispose the result to close the file.
    /// </summary>
    /// <remarks>
    /// Checked, each with a <see cref="CheckpointException"/> that names the file and, where one tensor is at fault,
    /// the tensor: the file is at least 8 bytes long; the header length fits in the file; the header is a JSON object
    /// whose entries each have a known dtype, a shape of non-negative integers and two data offsets that span exactly
    /// the shape's elements times the dtype's size; names are unique; <c>__metadata__</c> maps strings to strings; the
    /// tensors' bytes, in offset order, neither overlap nor leave gaps and cover the data exactly; a truncated file
    /// names the first tensor (in offset order) whose bytes are missing.
    /// </remarks>
    /// <exception cref="CheckpointException">The file is not a valid safetensors file; the message says why.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public static SafeTensorsContent Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        EnsureLittleEndian();
        string fullPath = Path.GetFullPath(path);
        var file = File.OpenHandle(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        try
        {
            return Parse(fullPath, file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static SafeTensorsContent Parse(string path, SafeFileHandle file)
    {
        long fileLength = RandomAccess.GetLength(file);
        if (fileLength < 8)
            throw new CheckpointException(path, null, $"the file is {fileLength} bytes long, shorter than the 8-byte header length that starts a safetensors file.");
        Span<byte> prefix = stackalloc byte[8];
        ReadAt(path, file, prefix, 0);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > (ulong)(fileLength - 8))
            throw new CheckpointException(path, null, $"the header length {headerLength} reaches beyond the end of the file ({fileLength} bytes, so at most {fileLength - 8} bytes of header); the file is truncated or not a safetensors file.");
        if (headerLength > MaxHeaderLength)
            throw new CheckpointException(path, null, $"the header length {headerLength} is over the limit of {MaxHeaderLength} bytes.");
        byte[] header = new byte[(int)headerLength];
        ReadAt(path, file, header, 8);

        long dataStart = 8 + (long)headerLength;
        long dataLength = fileLength - dataStart;
        var (entries, metadata) = ParseHeader(path, header);
        CheckLayout(path, entries, dataLength, fileLength, dataStart);
        entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return new SafeTensorsContent(path, file, dataStart, entries.AsReadOnly(), metadata);
    }

    private static void ReadAt(string path, SafeFileHandle file, Span<byte> destination, long offset)
    {
        while (!destination.IsEmpty)
        {
            int read = RandomAccess.Read(file, destination, offset);
            if (read == 0)
                throw new CheckpointException(path, null, $"the file ended at byte {offset} while its header was read.");
            destination = destination[read..];
            offset += read;
        }
    }

    private static (List<SafeTensorsEntry> Entries, IReadOnlyDictionary<string, string> Metadata) ParseHeader(string path, byte[] header)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw new CheckpointException(path, null, $"the header is not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new CheckpointException(path, null, $"the header is a JSON {Kind(root)}, not an object of tensor entries.");
            var entries = new List<SafeTensorsEntry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!names.Add(property.Name))
                {
                    throw property.Name == MetadataKey
                        ? new CheckpointException(path, null, $"the header has '{MetadataKey}' twice.")
                        : new CheckpointException(path, property.Name, "the header lists it twice.");
                }
                if (property.Name == MetadataKey)
                    ParseMetadata(path, property.Value, metadata);
                else
                    entries.Add(ParseEntry(path, property.Name, property.Value));
            }
            return (entries, metadata.AsReadOnly());
        }
    }

    private static void ParseMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new CheckpointException(path, null, $"'{MetadataKey}' is a JSON {Kind(value)}, not an object of strings.");
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw new CheckpointException(path, null, $"'{MetadataKey}' entry '{item.Name}' is a JSON {Kind(item.Value)}, not a string.");
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
                throw new CheckpointException(path, null, $"'{MetadataKey}' has the key '{item.Name}' twice.");
        }
    }

    private static SafeTensorsEntry ParseEntry(string path, string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new CheckpointException(path, name, $"its header entry is a JSON {Kind(value)}, not an object with dtype, shape and data_offsets.");

        if (!value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw new CheckpointException(path, name, "its header entry has no \"dtype\" string.");
        string dtype = dtypeElement.GetString()!;
        if (!SafeTensorsDType.TryParse(dtype, out var scalarType, out int elementSize))
            throw new CheckpointException(path, name, $"unknown or unsupported dtype '{dtype}'; supported: {SafeTensorsDType.SupportedCodes}.");

        long[] shape = ReadIntegers(path, name, value, "shape");
        long[] offsets = ReadIntegers(path, name, value, "data_offsets");
        if (offsets.Length != 2)
            throw new CheckpointException(path, name, $"\"data_offsets\" has {offsets.Length} numbers, not 2 (begin, end).");
        long begin = offsets[0], end = offsets[1];
        if (end < begin)
            throw new CheckpointException(path, name, $"\"data_offsets\" [{begin}, {end}] end before they begin.");

        long count, byteLength;
        try
        {
            count = 1;
            foreach (long dimension in shape)
                count = checked(count * dimension);
            byteLength = checked(count * elementSize);
        }
        catch (OverflowException)
        {
            throw new CheckpointException(path, name, $"shape {SafeTensorsDType.FormatShape(shape)} has more elements than a file can hold.");
        }
        if (end - begin != byteLength)
        {
            throw new CheckpointException(path, name,
                $"\"data_offsets\" [{begin}, {end}] span {end - begin} bytes, but shape {SafeTensorsDType.FormatShape(shape)} of {dtype} " +
                $"needs {byteLength} ({count} elements of {elementSize} bytes).");
        }
        return new SafeTensorsEntry(name, dtype, scalarType, elementSize, shape, count, begin, end);
    }

    private static long[] ReadIntegers(string path, string name, JsonElement entry, string property)
    {
        if (!entry.TryGetProperty(property, out var array) || array.ValueKind != JsonValueKind.Array)
            throw new CheckpointException(path, name, $"its header entry has no \"{property}\" array.");
        var values = new long[array.GetArrayLength()];
        int i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long number) || number < 0)
                throw new CheckpointException(path, name, $"\"{property}\" holds {item.GetRawText()}, which is not a non-negative 64-bit integer.");
            values[i++] = number;
        }
        return values;
    }

    /// <summary>Offsets in order must tile the data exactly: no overlap, no gap, nothing missing, nothing left over.</summary>
    private static void CheckLayout(string path, List<SafeTensorsEntry> entries, long dataLength, long fileLength, long dataStart)
    {
        var ordered = entries.OrderBy(e => e.Begin).ThenBy(e => e.End).ThenBy(e => e.Name, StringComparer.Ordinal).ToList();
        long needed = ordered.Count == 0 ? 0 : ordered.Max(e => e.End);
        SafeTensorsEntry? previous = null;
        long next = 0;
        foreach (var entry in ordered)
        {
            if (entry.Begin < next)
            {
                throw new CheckpointException(path, entry.Name,
                    $"its bytes [{entry.Begin}, {entry.End}) overlap those of tensor '{previous!.Name}' [{previous.Begin}, {previous.End}).");
            }
            if (entry.Begin > next)
            {
                string after = previous is null ? "the data starts at 0" : $"tensor '{previous.Name}' ends at {next}";
                throw new CheckpointException(path, entry.Name,
                    $"its bytes begin at {entry.Begin} but {after}: a gap of {entry.Begin - next} bytes, which the format does not allow.");
            }
            if (entry.End > dataLength)
            {
                throw new CheckpointException(path, entry.Name,
                    $"its bytes [{entry.Begin}, {entry.End}) reach beyond the end of the data ({dataLength} bytes after the header): " +
                    $"the file is truncated ({fileLength} bytes long; the header needs {dataStart + needed}).");
            }
            previous = entry;
            next = entry.End;
        }
        if (next < dataLength)
        {
            throw new CheckpointException(path, null,
                $"{dataLength - next} bytes after the last tensor's data belong to no tensor ({fileLength} bytes long; the header accounts for {dataStart + next}).");
        }
    }

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => element.ValueKind.ToString(),
    };
}
