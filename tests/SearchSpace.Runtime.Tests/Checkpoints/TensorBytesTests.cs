using SearchSpaceDsl.Checkpoints;
using TorchSharp;
using static SearchSpaceDsl.Tests.Checkpoints.CheckpointTestFiles;

namespace SearchSpaceDsl.Tests.Checkpoints;

public class TensorBytesTests
{
    // Tensors over 1 GiB go through the span in pieces; small chunk sizes exercise that path on small tensors.
    [Theory]
    [InlineData(1)]    // below one element: one element at a time
    [InlineData(8)]
    [InlineData(24)]
    [InlineData(1000)] // larger than the tensor: one piece
    public void Chunked_write_and_read_move_the_same_bytes(long chunkBytes)
    {
        using var dir = new CheckpointDirectory();
        var path = dir.File("chunks.bin");
        using var tensor = RandomBits(new Random(5), torch.ScalarType.Float64, 5, 7);
        var expected = BytesOf(tensor);
        using (var stream = new FileStream(path, FileMode.CreateNew))
        {
            stream.Write([9, 9, 9]); // the tensor's bytes start at an offset
            TensorBytes.Write(tensor, stream, chunkBytes);
        }
        Assert.Equal(expected, File.ReadAllBytes(path).AsSpan(3).ToArray());

        using var loaded = torch.empty([5, 7], torch.ScalarType.Float64);
        using (var file = File.OpenHandle(path))
            TensorBytes.Read(file, 3, loaded, chunkBytes);

        Assert.Equal(expected, BytesOf(loaded));
    }

    [Fact]
    public void Reading_past_the_end_of_the_file_throws()
    {
        using var dir = new CheckpointDirectory();
        var path = dir.File("short.bin");
        File.WriteAllBytes(path, new byte[10]);
        using var tensor = torch.empty(4, torch.ScalarType.Float32);
        using var file = File.OpenHandle(path);

        Assert.Throws<EndOfStreamException>(() => TensorBytes.Read(file, 0, tensor, chunkBytes: 8));
    }
}
