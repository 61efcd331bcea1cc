namespace SearchSpaceDsl.Kernels;

/// <summary>A float32 tensor in host memory: its shape and its elements in row-major order.</summary>
public sealed record HostTensor
{
    /// <summary>A tensor of <paramref name="shape"/> holding <paramref name="data"/> (not copied).</summary>
    /// <exception cref="ArgumentException">A dimension is below 1, or the number of elements does not match the shape.</exception>
    public HostTensor(int[] shape, float[] data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        long count = 1;
        foreach (var size in shape)
        {
            if (size < 1)
                throw new ArgumentException($"Shape [{string.Join(", ", shape)}] has a dimension below 1.", nameof(shape));
            count *= size;
        }
        if (count != data.Length)
            throw new ArgumentException($"Shape [{string.Join(", ", shape)}] holds {count} elements; got {data.Length}.", nameof(data));
        Shape = shape;
        Data = data;
    }

    /// <summary>The dimensions.</summary>
    public int[] Shape { get; }

    /// <summary>The elements, row-major.</summary>
    public float[] Data { get; }

    /// <inheritdoc />
    public override string ToString() => $"[{string.Join(", ", Shape)}]";
}
