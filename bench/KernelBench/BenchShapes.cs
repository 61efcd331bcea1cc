namespace SearchSpaceDsl.Kernels.Bench;

/// <summary>
/// One set of benchmark sizes: the max-size weights (<c>*Max</c>) and the active sub-network sizes read from them.
/// Must match <c>SHAPES</c> in <c>pytorch_reference.py</c>.
/// </summary>
internal sealed record BenchShapes(
    string Name, int Batch, int Seq, int Vocab, int HeadSize,
    int DimMax, int HeadsMax, int HiddenMax,
    int Dim, int Heads, int Hidden)
{
    public int Rows => Batch * Seq;
    public int InnerMax => HeadsMax * HeadSize;
    public int Inner => Heads * HeadSize;

    /// <summary>HW-GPT-Bench space S, largest member (GPT-2 small): d 768, 12 heads of 64, 4× MLP, sequence 1024, batch 8.</summary>
    public static BenchShapes S => new("S-largest", 8, 1024, 50257, 64, 768, 12, 3072, 768, 12, 3072);

    /// <summary>A smaller member of space S read from the same max-size weights: d 384, 8 heads, 2× MLP.</summary>
    public static BenchShapes SSub => S with { Name = "S-sub", Dim = 384, Heads = 8, Hidden = 768 };

    /// <summary>Small shapes for ILGPU's CPU accelerator (one OS thread per GPU thread; correctness speeds only).</summary>
    public static BenchShapes Small => new("small-largest", 2, 32, 89, 16, 64, 4, 256, 64, 4, 256);

    /// <summary>A sub-network of the small shapes.</summary>
    public static BenchShapes SmallSub => Small with { Name = "small-sub", Dim = 48, Heads = 2, Hidden = 96 };
}
