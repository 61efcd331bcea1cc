namespace SearchSpaceDsl.Kernels;

/// <summary>
/// Host-side checks run before every launch: a size beyond the max-size buffers must be a clear error, never an
/// out-of-bounds read on the accelerator (where nothing checks).
/// </summary>
internal static class SizeChecks
{
    /// <summary>Throws unless <paramref name="value"/> ≥ 1.</summary>
    public static void Positive(string name, int value)
    {
        if (value < 1)
            throw new ArgumentException($"{name} {value} must be at least 1.", name);
    }

    /// <summary>Throws unless <c>1 ≤ value ≤ available</c>: "out 200 exceeds the weight's 128 rows".</summary>
    public static void Fits(string name, int value, long available, string owner)
    {
        Positive(name, value);
        if (value > available)
            throw new ArgumentException($"{name} {value} exceeds {owner} {available}.", name);
    }

    /// <summary>Throws unless the last stored index a selection reaches lies below <paramref name="available"/>.</summary>
    public static void Reaches(string name, int count, IndexBlocks blocks, long available, string owner)
    {
        Positive(name, count);
        blocks.Check(name);
        if (blocks.IsContiguous)
        {
            Fits(name, count, available, owner);
            return;
        }
        long last = blocks.Map(count - 1);
        if (last >= available)
            throw new ArgumentException(
                $"{name} {count} in {blocks} reaches index {last}, beyond {owner} {available}.", name);
    }

    /// <summary>Throws unless a vector view holds at least <paramref name="count"/> elements.</summary>
    public static void Length(string name, long count, long length)
    {
        if (count > length)
            throw new ArgumentException($"{name} needs {count} elements; the view has {length}.", name);
    }
}
