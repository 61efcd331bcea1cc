using TorchSharp;

namespace SearchSpaceDsl.Checkpoints;

/// <summary>One tensor's header entry in a safetensors file: its name, dtype, shape and where its bytes are.</summary>
public sealed class SafeTensorsEntry
{
    internal SafeTensorsEntry(string name, string dtype, torch.ScalarType scalarType, int elementSize, long[] shape, long elementCount, long begin, long end)
    {
        Name = name;
        DType = dtype;
        ScalarType = scalarType;
        ElementSize = elementSize;
        Shape = Array.AsReadOnly(shape);
        ElementCount = elementCount;
        Begin = begin;
        End = end;
    }

    /// <summary>The tensor's name, the key of its entry in the header.</summary>
    public string Name { get; }

    /// <summary>The dtype code as the file has it: <c>F32</c>, <c>BF16</c>, <c>I64</c>, ...</summary>
    public string DType { get; }

    /// <summary>The TorchSharp element type of <see cref="DType"/>.</summary>
    public torch.ScalarType ScalarType { get; }

    /// <summary>The size of one element in bytes.</summary>
    public int ElementSize { get; }

    /// <summary>The tensor's shape; empty for a scalar.</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>The number of elements: the product of <see cref="Shape"/> (1 for a scalar).</summary>
    public long ElementCount { get; }

    /// <summary>Where the tensor's bytes begin, relative to the first byte after the header.</summary>
    public long Begin { get; }

    /// <summary>Where the tensor's bytes end (exclusive), relative to the first byte after the header.</summary>
    public long End { get; }

    /// <summary>The number of bytes of the tensor's data: <see cref="End"/> − <see cref="Begin"/>.</summary>
    public long ByteLength => End - Begin;

    /// <summary><c>name: F32 [4, 3] at [0, 48)</c>.</summary>
    public override string ToString() => $"{Name}: {DType} {SafeTensorsDType.FormatShape(Shape)} at [{Begin}, {End})";
}
