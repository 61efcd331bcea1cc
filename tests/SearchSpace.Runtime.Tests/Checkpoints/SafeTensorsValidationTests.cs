using SearchSpaceDsl.Checkpoints;
using TorchSharp;
using static SearchSpaceDsl.Tests.Checkpoints.CheckpointTestFiles;

namespace SearchSpaceDsl.Tests.Checkpoints;

public class SafeTensorsValidationTests
{
    private static CheckpointException ReadFails(string path)
    {
        var error = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Read(path).Dispose());
        Assert.Equal(Path.GetFullPath(path), error.FilePath);
        Assert.Contains(path, error.Message);
        return error;
    }

    [Fact]
    public void A_truncated_file_names_the_first_tensor_whose_bytes_are_missing()
    {
        using var dir = new CheckpointDirectory();
        var path = dir.File("truncated.safetensors");
        SafeTensorsFile.Save(path, new Dictionary<string, torch.Tensor>
        {
            ["a"] = torch.ones(4), // bytes [0, 16)
            ["b"] = torch.ones(4), // bytes [16, 32)
            ["c"] = torch.ones(4), // bytes [32, 48)
        });
        using (var stream = new FileStream(path, FileMode.Open))
            stream.SetLength(stream.Length - 20); // cuts 4 bytes of 'b' and all of 'c'

        var error = ReadFails(path);

        Assert.Equal("b", error.TensorName);
        Assert.Contains("tensor 'b'", error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void A_file_shorter_than_eight_bytes_is_reported()
    {
        using var dir = new CheckpointDirectory();
        var path = dir.File("short.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);

        var error = ReadFails(path);

        Assert.Null(error.TensorName);
        Assert.Contains("3 bytes long", error.Message);
    }

    [Fact]
    public void A_header_length_beyond_the_file_is_reported()
    {
        using var dir = new CheckpointDirectory();
        var path = dir.File("header.safetensors");
        File.WriteAllBytes(path, [200, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}']);

        var error = ReadFails(path);

        Assert.Contains("header length 200", error.Message);
        Assert.Contains("beyond the end of the file", error.Message);
    }

    [Fact]
    public void Invalid_json_is_reported()
    {
        using var dir = new CheckpointDirectory();
        var path = dir.File("json.safetensors");
        WriteRaw(path, """{"a": {"dtype": "F32", """, 0);

        var error = ReadFails(path);

        Assert.Contains("not valid JSON", error.Message);
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(error.InnerException);
    }

    [Fact]
    public void A_header_that_is_not_an_object_is_reported()
    {
        using var dir = new CheckpointDirectory();
        var path = dir.File("array.safetensors");
        WriteRaw(path, "[1, 2]", 0);

        Assert.Contains("not an object", ReadFails(path).Message);
    }

    [Fact]
    public void An_unknown_dtype_names_the_tensor_and_the_dtype()
    {
        using var dir = new CheckpointDirectory();
        var path = dir.File("dtype.safetensors");
        WriteRaw(path, """{"w": {"dtype": "F8_E4M3", "shape": [2], "data_offsets": [0, 2]}}""", 2);

        var error = ReadFails(path);

        Assert.Equal("w", error.TensorName);
        Assert.Contains("'F8_E4M3'", error.Message);
    }

    [Fact]
    public void Offsets_inconsistent_with_shape_and_dtype_are_reported()
    {
        using var dir = new CheckpointDirectory();
        var path = dir.File("size.safetensors");
        WriteRaw(path, """{"w": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 20]}}""", 20);

        var error = ReadFails(path);

        Assert.Equal("w", error.TensorName);
        Assert.Contains("span 20 bytes", error.Message);
        Assert.Contains("needs 24", error.Message);
    }

    [Fact]
    public void Overlapping_tensors_are_reported_with_both_names()
    {
        using var dir = new CheckpointDirectory();
        var path = dir.File("overlap.safetensors");
        WriteRaw(path, """
            {"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]},
             "b": {"dtype": "F32", "shape": [4], "data_offsets": [8, 24]}}
            """, 24);

        var error = ReadFails(path);

        Assert.Equal("b", error.TensorName);
        Assert.Contains("overlap", error.Message);
        Assert.Contains("'a'", error.Message);
    }

    [Fact]
    public void A_gap_between_tensors_is_reported()
    {
        using var dir = new CheckpointDirectory();
        var path = dir.File("gap.safetensors");
        WriteRaw(path, """
            {"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
             "b": {"dtype": "F32", "shape": [2], "data_offsets": [12, 20]}}
            """, 20);

        var error = ReadFails(path);

        Assert.Equal("b", error.TensorName);
        Assert.Contains("gap of 4 bytes", error.Message);
    }

    [Fact]
    public void Bytes_after_the_last_tensor_are_reported()
    {
        using var dir = new CheckpointDirectory();
        var path = dir.File("trailing.safetensors");
        WriteRaw(path, """{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}""", 13);

        Assert.Contains("5 bytes after the last tensor", ReadFails(path).Message);
    }

    [Fact]
    public void Malformed_entries_name_the_tensor()
    {
        using var dir = new CheckpointDirectory();
        var cases = new (string Header, string Expected)[]
        {
            ("""{"w": 3}""", "not an object"),
            ("""{"w": {"shape": [1], "data_offsets": [0, 4]}}""", "no \"dtype\""),
            ("""{"w": {"dtype": "F32", "data_offsets": [0, 4]}}""", "no \"shape\""),
            ("""{"w": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}}""", "non-negative"),
            ("""{"w": {"dtype": "F32", "shape": [1.5], "data_offsets": [0, 4]}}""", "non-negative"),
            ("""{"w": {"dtype": "F32", "shape": [1], "data_offsets": [0]}}""", "not 2"),
            ("""{"w": {"dtype": "F32", "shape": [1], "data_offsets": [4, 0]}}""", "end before"),
            ("""{"w": {"dtype": "F32", "shape": [4294967296, 4294967296], "data_offsets": [0, 4]}}""", "more elements"),
            ("""{"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "w": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}""", "twice"),
        };
        foreach (var (header, expected) in cases)
        {
            var path = dir.File("malformed.safetensors");
            WriteRaw(path, header, 4);

            var error = ReadFails(path);

            Assert.Equal("w", error.TensorName);
            Assert.Contains("tensor 'w'", error.Message);
            Assert.Contains(expected, error.Message);
        }
    }

    [Fact]
    public void Metadata_must_map_strings_to_strings()
    {
        using var dir = new CheckpointDirectory();
        var path = dir.File("meta.safetensors");
        WriteRaw(path, """{"__metadata__": {"step": 3}}""", 0);

        var error = ReadFails(path);

        Assert.Contains("'step'", error.Message);
        Assert.Contains("not a string", error.Message);
    }

    [Fact]
    public void A_spec_file_written_by_hand_reads_with_padding_and_any_entry_order()
    {
        using var dir = new CheckpointDirectory();
        var path = dir.File("hand.safetensors");
        // Entries out of name order, metadata last, header padded with spaces: all allowed by the format.
        WriteRaw(path, """{"b": {"dtype": "U8", "shape": [2], "data_offsets": [0, 2]}, "a": {"dtype": "I64", "shape": [], "data_offsets": [2, 10]}, "__metadata__": {"k": "v"}}    """, 10);

        using var content = SafeTensorsFile.Read(path);

        Assert.Equal(["a", "b"], content.Entries.Select(e => e.Name));
        Assert.Equal("v", content.Metadata["k"]);
        using var a = content.Load("a");
        Assert.Empty(a.shape);
        Assert.Equal(torch.ScalarType.Int64, a.dtype);
    }
}
