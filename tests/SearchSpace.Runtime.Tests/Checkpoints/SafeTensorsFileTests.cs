using System.Buffers.Binary;
using System.Collections;
using System.Text;
using System.Text.Json;
using SearchSpaceDsl.Checkpoints;
using TorchSharp;
using static SearchSpaceDsl.Tests.Checkpoints.CheckpointTestFiles;

namespace SearchSpaceDsl.Tests.Checkpoints;

public class SafeTensorsFileTests
{
    /// <summary>One tensor of every supported dtype, with random bits, plus a scalar and an empty tensor.</summary>
    private static Dictionary<string, torch.Tensor> MixedTensors(int seed = 7)
    {
        var random = new Random(seed);
        return new Dictionary<string, torch.Tensor>(StringComparer.Ordinal)
        {
            ["f32"] = RandomBits(random, torch.ScalarType.Float32, 3, 5),
            ["f64"] = RandomBits(random, torch.ScalarType.Float64, 4),
            ["f16"] = RandomBits(random, torch.ScalarType.Float16, 2, 3, 2),
            ["bf16"] = RandomBits(random, torch.ScalarType.BFloat16, 7),
            ["i64"] = RandomBits(random, torch.ScalarType.Int64, 2, 2),
            ["i32"] = RandomBits(random, torch.ScalarType.Int32, 5),
            ["i16"] = RandomBits(random, torch.ScalarType.Int16, 3),
            ["i8"] = RandomBits(random, torch.ScalarType.Int8, 9),
            ["u8"] = RandomBits(random, torch.ScalarType.Byte, 11),
            ["bool"] = RandomBits(random, torch.ScalarType.Bool, 6),
            ["c64"] = RandomBits(random, torch.ScalarType.ComplexFloat32, 2),
            ["scalar"] = RandomBits(random, torch.ScalarType.Float32),
            ["empty"] = torch.empty([0, 3], torch.ScalarType.Float32),
            ["nested.layer.0.weight"] = RandomBits(random, torch.ScalarType.Float32, 2, 2),
        };
    }

    [Fact]
    public void Round_trip_is_bit_exact_for_every_dtype()
    {
        using var dir = new CheckpointDirectory();
        var path = dir.File("mixed.safetensors");
        var tensors = MixedTensors();

        SafeTensorsFile.Save(path, tensors);
        using var content = SafeTensorsFile.Read(path);

        Assert.Equal(tensors.Keys.Order(StringComparer.Ordinal), content.Entries.Select(e => e.Name));
        foreach (var (name, original) in tensors)
        {
            using var loaded = content.Load(name);
            Assert.Equal(original.dtype, loaded.dtype);
            Assert.Equal(original.shape, loaded.shape);
            Assert.Equal(DeviceType.CPU, loaded.device_type);
            Assert.Equal(BytesOf(original), BytesOf(loaded));
        }
    }

    [Fact]
    public void Non_contiguous_tensors_are_written_in_logical_order()
    {
        using var dir = new CheckpointDirectory();
        var path = dir.File("t.safetensors");
        using var matrix = torch.arange(12, dtype: torch.ScalarType.Float32).reshape(3, 4);
        using var transposed = matrix.t();
        Assert.False(transposed.is_contiguous());

        SafeTensorsFile.Save(path, new Dictionary<string, torch.Tensor> { ["t"] = transposed });
        using var content = SafeTensorsFile.Read(path);
        using var loaded = content.Load("t");

        Assert.Equal([4L, 3L], loaded.shape);
        Assert.Equal([0f, 4f, 8f, 1f, 5f, 9f, 2f, 6f, 10f, 3f, 7f, 11f], loaded.data<float>().ToArray());
    }

    [Fact]
    public void File_follows_the_safetensors_layout()
    {
        using var dir = new CheckpointDirectory();
        var path = dir.File("spec.safetensors");
        var tensors = MixedTensors();
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["step"] = "42" };

        SafeTensorsFile.Save(path, tensors, metadata);

        // Read by the spec alone, independently of SafeTensorsFile.Read.
        byte[] file = File.ReadAllBytes(path);
        long headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(file);
        Assert.Equal(0, headerLength % 8);
        long dataStart = 8 + headerLength;
        string headerText = Encoding.UTF8.GetString(file, 8, (int)headerLength);
        Assert.StartsWith("{", headerText);
        using var header = JsonDocument.Parse(headerText);

        var names = header.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal("__metadata__", names[0]);
        Assert.Equal(tensors.Keys.Order(StringComparer.Ordinal), names.Skip(1));
        Assert.Equal("pt", header.RootElement.GetProperty("__metadata__").GetProperty("format").GetString());
        Assert.Equal("42", header.RootElement.GetProperty("__metadata__").GetProperty("step").GetString());

        var codes = new Dictionary<string, string>
        {
            ["f32"] = "F32", ["f64"] = "F64", ["f16"] = "F16", ["bf16"] = "BF16", ["i64"] = "I64", ["i32"] = "I32", ["i16"] = "I16",
            ["i8"] = "I8", ["u8"] = "U8", ["bool"] = "BOOL", ["c64"] = "C64", ["scalar"] = "F32", ["empty"] = "F32", ["nested.layer.0.weight"] = "F32",
        };
        long expectedBegin = 0;
        foreach (string name in names.Skip(1))
        {
            var entry = header.RootElement.GetProperty(name);
            Assert.Equal(codes[name], entry.GetProperty("dtype").GetString());
            Assert.Equal(tensors[name].shape, entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()));
            var offsets = entry.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            Assert.Equal(2, offsets.Length);
            Assert.Equal(expectedBegin, offsets[0]); // contiguous, in name order, no gaps
            byte[] expected = BytesOf(tensors[name]);
            Assert.Equal(expected.Length, offsets[1] - offsets[0]);
            Assert.Equal(expected, file.AsSpan((int)(dataStart + offsets[0]), expected.Length).ToArray());
            expectedBegin = offsets[1];
        }
        Assert.Equal(file.Length, dataStart + expectedBegin); // nothing after the last tensor
    }

    [Fact]
    public void Saving_the_same_tensors_twice_gives_the_same_bytes()
    {
        using var dir = new CheckpointDirectory();
        var tensors = MixedTensors();
        var reversed = tensors.Reverse().ToDictionary(kv => kv.Key, kv => kv.Value);

        SafeTensorsFile.Save(dir.File("a.safetensors"), tensors, new Dictionary<string, string> { ["x"] = "1", ["a"] = "2" });
        SafeTensorsFile.Save(dir.File("b.safetensors"), reversed, new Dictionary<string, string> { ["a"] = "2", ["x"] = "1" });

        Assert.Equal(File.ReadAllBytes(dir.File("a.safetensors")), File.ReadAllBytes(dir.File("b.safetensors")));
    }

    [Fact]
    public void Metadata_round_trips()
    {
        using var dir = new CheckpointDirectory();
        var path = dir.File("meta.safetensors");
        var metadata = new Dictionary<string, string>
        {
            ["architecture"] = "EmbedDim=768, Layers=2, Heads=[4, 8]",
            ["quotes \" and \\ and <tags> & +"] = "line\nbreak",
            ["unicode"] = "Größe ≤ 8 — 超网",
            ["empty"] = "",
        };

        SafeTensorsFile.Save(path, new Dictionary<string, torch.Tensor> { ["x"] = torch.ones(2) }, metadata);
        using var content = SafeTensorsFile.Read(path);

        Assert.Equal(metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal), content.Metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void A_file_without_metadata_reads_as_empty_metadata()
    {
        using var dir = new CheckpointDirectory();
        var path = dir.File("nometa.safetensors");

        SafeTensorsFile.Save(path, new Dictionary<string, torch.Tensor> { ["x"] = torch.ones(2) });
        using var content = SafeTensorsFile.Read(path);

        Assert.Empty(content.Metadata);
        Assert.DoesNotContain("__metadata__", File.ReadAllText(path));
    }

    [Fact]
    public void A_checkpoint_with_no_tensors_round_trips()
    {
        using var dir = new CheckpointDirectory();
        var path = dir.File("none.safetensors");

        SafeTensorsFile.Save(path, new Dictionary<string, torch.Tensor>(), new Dictionary<string, string> { ["k"] = "v" });
        using var content = SafeTensorsFile.Read(path);

        Assert.Empty(content.Entries);
        Assert.Equal("v", content.Metadata["k"]);
    }

    [Fact]
    public void Read_reports_entries_and_loads_one_tensor_on_demand()
    {
        using var dir = new CheckpointDirectory();
        var path = dir.File("entries.safetensors");
        var tensors = MixedTensors();
        SafeTensorsFile.Save(path, tensors);

        using var content = SafeTensorsFile.Read(path);
        Assert.True(content.TryGetEntry("bf16", out var entry));
        Assert.Equal("BF16", entry.DType);
        Assert.Equal(torch.ScalarType.BFloat16, entry.ScalarType);
        Assert.Equal([7L], entry.Shape);
        Assert.Equal(14, entry.ByteLength);
        Assert.False(content.Contains("absent"));
        var missing = Assert.Throws<KeyNotFoundException>(() => content.Load("absent"));
        Assert.Contains("'absent'", missing.Message);

        var all = content.LoadAll();
        try
        {
            Assert.Equal(tensors.Count, all.Count);
            Assert.Equal(BytesOf(tensors["bf16"]), BytesOf(all["bf16"]));
        }
        finally
        {
            foreach (var t in all.Values)
                t.Dispose();
        }
    }

    [Fact]
    public void Content_keeps_reading_the_file_it_opened_when_the_path_is_replaced()
    {
        using var dir = new CheckpointDirectory();
        var path = dir.File("replaced.safetensors");
        SafeTensorsFile.Save(path, new Dictionary<string, torch.Tensor> { ["x"] = torch.full(3, 1.0f) });

        using var content = SafeTensorsFile.Read(path);
        SafeTensorsFile.Save(path, new Dictionary<string, torch.Tensor> { ["x"] = torch.full(3, 2.0f) });
        using var loaded = content.Load("x");

        Assert.Equal([1f, 1f, 1f], loaded.data<float>().ToArray());
    }

    [Fact]
    public void Save_overwrites_an_existing_file_and_leaves_no_temporary_file()
    {
        using var dir = new CheckpointDirectory();
        var path = dir.File("ckpt.safetensors");
        SafeTensorsFile.Save(path, new Dictionary<string, torch.Tensor> { ["x"] = torch.zeros(1000) });

        SafeTensorsFile.Save(path, new Dictionary<string, torch.Tensor> { ["y"] = torch.ones(2) });

        Assert.Equal(["ckpt.safetensors"], FileNames(dir.Path));
        using var content = SafeTensorsFile.Read(path);
        Assert.Equal(["y"], content.Entries.Select(e => e.Name));
    }

    [Fact]
    public void A_failure_while_writing_data_keeps_the_previous_checkpoint_and_removes_the_temporary_file()
    {
        using var dir = new CheckpointDirectory();
        var path = dir.File("ckpt.safetensors");
        SafeTensorsFile.Save(path, new Dictionary<string, torch.Tensor> { ["old"] = torch.arange(10, dtype: torch.ScalarType.Float32) });
        byte[] before = File.ReadAllBytes(path);

        // A meta tensor has a dtype and a shape, so the header is written, but no data: copying it to the CPU fails
        // after the first tensor's bytes are already in the temporary file.
        var tensors = new Dictionary<string, torch.Tensor>
        {
            ["a"] = torch.ones(1000),
            ["z_meta"] = torch.empty([4, 4], torch.ScalarType.Float32, new torch.Device("meta")),
        };
        var error = Assert.Throws<InvalidOperationException>(() => SafeTensorsFile.Save(path, tensors));

        Assert.Contains("'z_meta'", error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["ckpt.safetensors"], FileNames(dir.Path));
    }

    [Fact]
    public void A_disposed_tensor_keeps_the_previous_checkpoint_and_leaves_no_file()
    {
        using var dir = new CheckpointDirectory();
        var path = dir.File("ckpt.safetensors");
        SafeTensorsFile.Save(path, new Dictionary<string, torch.Tensor> { ["old"] = torch.ones(3) });
        byte[] before = File.ReadAllBytes(path);
        var disposed = torch.ones(3);
        disposed.Dispose();

        Assert.ThrowsAny<Exception>(() => SafeTensorsFile.Save(path, new Dictionary<string, torch.Tensor> { ["a"] = torch.ones(2), ["b"] = disposed }));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["ckpt.safetensors"], FileNames(dir.Path));
    }

    [Fact]
    public void A_dictionary_that_throws_keeps_the_previous_checkpoint_and_leaves_no_file()
    {
        using var dir = new CheckpointDirectory();
        var path = dir.File("ckpt.safetensors");
        SafeTensorsFile.Save(path, new Dictionary<string, torch.Tensor> { ["old"] = torch.ones(3) });
        byte[] before = File.ReadAllBytes(path);

        Assert.Throws<IOException>(() => SafeTensorsFile.Save(path, new ThrowingDictionary(torch.ones(2))));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["ckpt.safetensors"], FileNames(dir.Path));
    }

    [Fact]
    public void Save_rejects_dtypes_without_a_code_and_the_metadata_name()
    {
        using var dir = new CheckpointDirectory();
        var path = dir.File("bad.safetensors");

        var complex = Assert.Throws<ArgumentException>(() =>
            SafeTensorsFile.Save(path, new Dictionary<string, torch.Tensor> { ["c"] = torch.zeros(2, dtype: torch.ScalarType.ComplexFloat64) }));
        Assert.Contains("'c'", complex.Message);
        Assert.Contains("ComplexFloat64", complex.Message);

        var reserved = Assert.Throws<ArgumentException>(() =>
            SafeTensorsFile.Save(path, new Dictionary<string, torch.Tensor> { ["__metadata__"] = torch.zeros(2) }));
        Assert.Contains("__metadata__", reserved.Message);

        Assert.Empty(FileNames(dir.Path));
    }

    [Fact]
    public void Tensors_that_require_grad_are_saved_unchanged()
    {
        using var dir = new CheckpointDirectory();
        var path = dir.File("grad.safetensors");
        using var weight = torch.randn(3, 3, requires_grad: true);

        SafeTensorsFile.Save(path, new Dictionary<string, torch.Tensor> { ["w"] = weight });
        using var content = SafeTensorsFile.Read(path);
        using var loaded = content.Load("w");

        Assert.True(weight.requires_grad);
        Assert.Equal(BytesOf(weight), BytesOf(loaded));
    }

    /// <summary>A dictionary that enumerates one tensor and then fails, as a broken source of tensors would.</summary>
    private sealed class ThrowingDictionary(torch.Tensor tensor) : IReadOnlyDictionary<string, torch.Tensor>
    {
        public torch.Tensor this[string key] => tensor;
        public IEnumerable<string> Keys => [.. this.Select(kv => kv.Key)];
        public IEnumerable<torch.Tensor> Values => [.. this.Select(kv => kv.Value)];
        public int Count => 2;
        public bool ContainsKey(string key) => key == "a";
        public bool TryGetValue(string key, out torch.Tensor value)
        {
            value = tensor;
            return key == "a";
        }

        public IEnumerator<KeyValuePair<string, torch.Tensor>> GetEnumerator()
        {
            yield return new("a", tensor);
            throw new IOException("the source of tensors failed");
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
