using Microsoft.Win32.SafeHandles;
using TorchSharp;

namespace SearchSpaceDsl.Checkpoints;

/// <summary>
/// A safetensors file opened and validated by <see cref="SafeTensorsFile.Read"/>: its header entries and metadata, and
/// the open file, from which <see cref="Load"/> reads one tensor's bytes on demand, straight into a new tensor's
/// memory; nothing else is held in memory. Dispose it to close the file.
/// </summary>
/// <remarks>
/// The file stays open until disposal, so a checkpoint that <see cref="SafeTensorsFile.Save"/> replaces meanwhile
/// (by renaming over it) does not change what this object reads. <see cref="Load"/> uses positional reads and may be
/// called from several threads at once.
/// </remarks>
public sealed class SafeTensorsContent : IDisposable
{
    private readonly SafeFileHandle _file;
    private readonly Dictionary<string, SafeTensorsEntry> _byName;

    internal SafeTensorsContent(string path, SafeFileHandle file, long dataStart, IReadOnlyList<SafeTensorsEntry> entries, IReadOnlyDictionary<string, string> metadata)
    {
        Path = path;
        _file = file;
        DataStart = dataStart;
        Entries = entries;
        Metadata = metadata;
        _byName = entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
    }

    /// <summary>The full path of the file.</summary>
    public string Path { get; }

    /// <summary>Where the data begins in the file: 8 plus the header length; entries' offsets count from here.</summary>
    public long DataStart { get; }

    /// <summary>The header entries, ordered by name (ordinal).</summary>
    public IReadOnlyList<SafeTensorsEntry> Entries { get; }

    /// <summary>The header's <c>__metadata__</c> strings; empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Whether the file has a tensor named <paramref name="name"/>.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>The header entry of the tensor <paramref name="name"/>, or <see langword="false"/> when there is none.</summary>
    public bool TryGetEntry(string name, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out SafeTensorsEntry entry) =>
        _byName.TryGetValue(name, out entry);

    /// <summary>
    /// A new CPU tensor with the dtype, shape and bytes that the file has for <paramref name="name"/>; the caller owns
    /// (and disposes) it. Reads only that tensor's bytes.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The file has no such tensor.</exception>
    /// <exception cref="CheckpointException">The file has become shorter since it was read.</exception>
    /// <exception cref="ObjectDisposedException">This object is disposed.</exception>
    public torch.Tensor Load(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        ObjectDisposedException.ThrowIf(_file.IsClosed, this);
        if (!_byName.TryGetValue(name, out var entry))
            throw new KeyNotFoundException($"Checkpoint '{Path}' has no tensor '{name}'.");
        var tensor = torch.empty([.. entry.Shape], entry.ScalarType, torch.CPU);
        try
        {
            TensorBytes.Read(_file, DataStart + entry.Begin, tensor);
            return tensor;
        }
        catch (EndOfStreamException e)
        {
            tensor.Dispose();
            throw new CheckpointException(Path, name, $"the file ended while its bytes were read; it was truncated after it was opened. {e.Message}", e);
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Every tensor of the file, as new CPU tensors keyed by name (ordinal); the caller owns (and disposes) them.
    /// Holds the whole file in memory: prefer <see cref="Load"/> one tensor at a time for large files.
    /// </summary>
    public Dictionary<string, torch.Tensor> LoadAll()
    {
        var tensors = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var entry in Entries)
                tensors.Add(entry.Name, Load(entry.Name));
            return tensors;
        }
        catch
        {
            foreach (var tensor in tensors.Values)
                tensor.Dispose();
            throw;
        }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _file.Dispose();
}
