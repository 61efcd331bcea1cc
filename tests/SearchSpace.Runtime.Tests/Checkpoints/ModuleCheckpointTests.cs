using SearchSpaceDsl.Checkpoints;
using TorchSharp;
using static SearchSpaceDsl.Tests.Checkpoints.CheckpointTestFiles;

namespace SearchSpaceDsl.Tests.Checkpoints;

public class ModuleCheckpointTests
{
    private static torch.nn.Module<torch.Tensor, torch.Tensor> Network(long seed)
    {
        torch.manual_seed(seed);
        var network = torch.nn.Sequential(
            ("lin", torch.nn.Linear(3, 4)),
            ("ln", torch.nn.LayerNorm(4)),
            ("bn", torch.nn.BatchNorm1d(4)));
        // Make every tensor differ between seeds, buffers and LayerNorm's constant init included.
        using (torch.no_grad())
        {
            foreach (var (_, tensor) in network.state_dict())
            {
                if (tensor.is_floating_point())
                    tensor.copy_(torch.randn_like(tensor));
                else
                    tensor.fill_(seed);
            }
        }
        return network;
    }

    private static Dictionary<string, byte[]> Snapshot(torch.nn.Module module) =>
        module.state_dict().ToDictionary(kv => kv.Key, kv => BytesOf(kv.Value));

    private static void AssertSameBits(Dictionary<string, byte[]> expected, torch.nn.Module module)
    {
        var actual = Snapshot(module);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, bytes) in expected)
            Assert.True(bytes.AsSpan().SequenceEqual(actual[name]), $"tensor '{name}' differs");
    }

    [Fact]
    public void Round_trip_of_a_module_is_bit_exact_and_in_place()
    {
        using var dir = new CheckpointDirectory();
        var path = dir.File("net.safetensors");
        using var source = Network(1);
        using var target = Network(2);
        var expected = Snapshot(source);
        Assert.NotEqual(expected["lin.weight"], Snapshot(target)["lin.weight"]);
        var weightBefore = target.state_dict()["lin.weight"];
        var parameterBefore = target.parameters().First();

        ModuleCheckpoint.Save(source, path);
        ModuleCheckpoint.Load(target, path);

        AssertSameBits(expected, target);
        Assert.Contains("bn.num_batches_tracked", expected.Keys); // buffers (int64) travel too
        Assert.Contains("bn.running_mean", expected.Keys);
        // In place: the module's own tensors got the values, still trainable.
        Assert.Same(parameterBefore, target.parameters().First());
        Assert.Equal(BytesOf(weightBefore), expected["lin.weight"]);
        Assert.True(target.parameters().First().requires_grad);
        source.eval();
        target.eval();
        using var input = torch.randn(5, 3);
        using var a = source.call(input);
        using var b = target.call(input);
        Assert.Equal(BytesOf(a), BytesOf(b));
    }

    [Fact]
    public void Buffers_of_every_dtype_round_trip_bit_exact()
    {
        using var dir = new CheckpointDirectory();
        var path = dir.File("mixed.safetensors");
        using var source = new MixedModule(new Random(1));
        using var target = new MixedModule(new Random(2));
        var expected = Snapshot(source);

        ModuleCheckpoint.Save(source, path);
        ModuleCheckpoint.Load(target, path);

        AssertSameBits(expected, target);
        Assert.Equal(torch.ScalarType.BFloat16, target.state_dict()["bf16"].dtype);
    }

    [Fact]
    public void Metadata_round_trips_through_the_module_checkpoint()
    {
        using var dir = new CheckpointDirectory();
        var path = dir.File("net.safetensors");
        using var network = Network(1);
        var metadata = new Dictionary<string, string> { ["architecture"] = "EmbedDim=768, Layers=2", ["epoch"] = "12" };

        ModuleCheckpoint.Save(network, path, metadata);
        var loaded = ModuleCheckpoint.Load(network, path);

        Assert.Equal(metadata.OrderBy(kv => kv.Key), loaded.OrderBy(kv => kv.Key));
    }

    [Fact]
    public void Every_mismatch_is_reported_in_one_message_and_the_module_is_unchanged()
    {
        using var dir = new CheckpointDirectory();
        var path = dir.File("wrong.safetensors");
        using var target = Network(2);
        var tensors = Network(1).state_dict();
        tensors.Remove("ln.bias");                                         // missing
        tensors["surprise"] = torch.zeros(2, dtype: torch.ScalarType.Int64); // unexpected
        tensors["lin.weight"] = torch.zeros(4, 2);                         // wrong shape
        tensors["lin.bias"] = torch.zeros(4, dtype: torch.ScalarType.Float64); // wrong dtype
        tensors["ln.weight"] = torch.zeros(5, dtype: torch.ScalarType.BFloat16); // wrong shape and dtype
        SafeTensorsFile.Save(path, tensors);
        var before = Snapshot(target);

        var error = Assert.Throws<CheckpointMismatchException>(() => ModuleCheckpoint.Load(target, path));

        Assert.Equal(
            [
                new(CheckpointMismatchKind.DType, "lin.bias", "F32", "F64"),
                new(CheckpointMismatchKind.Shape, "lin.weight", "[4, 3]", "[4, 2]"),
                new(CheckpointMismatchKind.Missing, "ln.bias", "F32 [4]", null),
                new(CheckpointMismatchKind.Shape, "ln.weight", "[4]", "[5]"),
                new(CheckpointMismatchKind.DType, "ln.weight", "F32", "BF16"),
                new CheckpointMismatch(CheckpointMismatchKind.Unexpected, "surprise", null, "I64 [2]"),
            ],
            error.Mismatches);
        Assert.Contains(path, error.Message);
        Assert.Contains("6 mismatches", error.Message);
        Assert.Contains("missing tensor 'ln.bias'", error.Message);
        Assert.Contains("unexpected tensor 'surprise'", error.Message);
        Assert.Contains("shape mismatch for 'lin.weight': the module expects [4, 3], the file has [4, 2]", error.Message);
        Assert.Contains("dtype mismatch for 'lin.bias': the module expects F32, the file has F64", error.Message);
        AssertSameBits(before, target);
    }

    [Fact]
    public void A_truncated_checkpoint_names_the_tensor_and_leaves_the_module_unchanged()
    {
        using var dir = new CheckpointDirectory();
        var path = dir.File("net.safetensors");
        using var source = Network(1);
        using var target = Network(2);
        ModuleCheckpoint.Save(source, path);
        using (var stream = new FileStream(path, FileMode.Open))
            stream.SetLength(stream.Length - 1);
        var before = Snapshot(target);

        var error = Assert.Throws<CheckpointException>(() => ModuleCheckpoint.Load(target, path));

        // The last tensor in the file (by name, so by offset) is the one cut short.
        string last = source.state_dict().Keys.Order(StringComparer.Ordinal).Last();
        Assert.Equal(last, error.TensorName);
        Assert.Contains($"tensor '{last}'", error.Message);
        Assert.Contains("truncated", error.Message);
        AssertSameBits(before, target);
    }

    [Fact]
    public void Saving_a_module_leaves_it_unchanged()
    {
        using var dir = new CheckpointDirectory();
        using var network = Network(3);
        var before = Snapshot(network);

        ModuleCheckpoint.Save(network, dir.File("net.safetensors"));

        AssertSameBits(before, network);
        Assert.Equal(["net.safetensors"], FileNames(dir.Path));
    }

    /// <summary>A module whose buffers cover the dtypes a checkpoint must carry besides float32.</summary>
    private sealed class MixedModule : torch.nn.Module
    {
        public MixedModule(Random random) : base(nameof(MixedModule))
        {
            register_buffer("bf16", RandomBits(random, torch.ScalarType.BFloat16, 3, 2));
            register_buffer("f16", RandomBits(random, torch.ScalarType.Float16, 5));
            register_buffer("f64", RandomBits(random, torch.ScalarType.Float64, 2));
            register_buffer("i64", RandomBits(random, torch.ScalarType.Int64, 4));
            register_buffer("i32", RandomBits(random, torch.ScalarType.Int32, 1, 1));
            register_buffer("i8", RandomBits(random, torch.ScalarType.Int8, 3));
            register_buffer("u8", RandomBits(random, torch.ScalarType.Byte, 3));
            register_buffer("mask", RandomBits(random, torch.ScalarType.Bool, 8));
            register_parameter("weight", new TorchSharp.Modules.Parameter(RandomBits(random, torch.ScalarType.Float32, 2, 3)));
        }
    }
}
