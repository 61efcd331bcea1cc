namespace SearchSpaceDsl.Kernels;

/// <summary>
/// How a logical index maps onto stored rows or columns: <c>i ↦ (i / Block)·Stride + i % Block</c>. Contiguous
/// (<see cref="Contiguous"/>) is the prefix <c>[:n]</c>; blocks of <c>hs</c> every <c>hsMax</c> are the first <c>hs</c>
/// dimensions of each head when the head size is a choice (BRIEF section 3), read in place without a gather.
/// </summary>
/// <param name="Block">Consecutive stored indices per block, at least 1.</param>
/// <param name="Stride">The distance between the starts of blocks, at least <paramref name="Block"/>.</param>
public readonly record struct IndexBlocks(int Block, int Stride)
{
    /// <summary>The identity map: logical index <c>i</c> is stored index <c>i</c>.</summary>
    public static IndexBlocks Contiguous { get; } = new(int.MaxValue, int.MaxValue);

    /// <summary>The first <paramref name="headSize"/> of every <paramref name="headSizeMax"/> indices.</summary>
    public static IndexBlocks Heads(int headSize, int headSizeMax) => new(headSize, headSizeMax);

    /// <summary>Whether this is the identity map.</summary>
    public bool IsContiguous => Block == int.MaxValue;

    /// <summary>The stored index of logical index <paramref name="index"/> (computed in 64 bits).</summary>
    public long Map(int index) => IsContiguous ? index : (long)(index / Block) * Stride + index % Block;

    internal void Check(string name)
    {
        if (Block < 1 || Stride < Block)
            throw new ArgumentException($"{name}: blocks of {Block} every {Stride} are not a valid selection.", name);
    }

    /// <inheritdoc />
    public override string ToString() => IsContiguous ? "contiguous" : $"blocks of {Block} every {Stride}";
}
