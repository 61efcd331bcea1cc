namespace SearchSpaceDsl.Kernels;

/// <summary>
/// The sizes of one causal attention launch. Rows of the query, key, value and output matrices are tokens
/// <c>b·Seq + t</c>; head <c>i</c> of a row occupies columns <c>i·HeadStride … i·HeadStride + HeadSize − 1</c>, so the
/// first <c>HeadSize</c> dimensions of heads stored <c>HeadStride</c> apart are read in place.
/// </summary>
/// <param name="Batch">Sequences, at least 1.</param>
/// <param name="Seq">Tokens per sequence, at least 1.</param>
/// <param name="Heads">Query heads (the first <c>Heads</c>), at least 1.</param>
/// <param name="HeadSize">Active dimensions per head, 1 … <see cref="CausalAttentionKernel.MaxHeadSize"/>; the scale is 1/√HeadSize.</param>
/// <param name="KvHeads">Key/value heads (grouped-query groups), a divisor of <paramref name="Heads"/>: query head
/// <c>i</c> reads key/value head <c>i / (Heads / KvHeads)</c>. Equal to <paramref name="Heads"/> for multi-head attention.</param>
/// <param name="HeadStride">Columns between consecutive heads in every matrix, at least <paramref name="HeadSize"/>.</param>
public readonly record struct AttentionShape(int Batch, int Seq, int Heads, int HeadSize, int KvHeads, int HeadStride)
{
    /// <summary>Multi-head attention with dense heads (<c>KvHeads = Heads</c>, <c>HeadStride = HeadSize</c>).</summary>
    public static AttentionShape MultiHead(int batch, int seq, int heads, int headSize) =>
        new(batch, seq, heads, headSize, heads, headSize);

    /// <summary>Rows of every matrix: <c>Batch·Seq</c>.</summary>
    public int Tokens => Batch * Seq;

    /// <summary>Columns the query (and output) heads span: <c>(Heads − 1)·HeadStride + HeadSize</c>.</summary>
    public int QueryColumns => (Heads - 1) * HeadStride + HeadSize;

    /// <summary>Columns the key and value heads span: <c>(KvHeads − 1)·HeadStride + HeadSize</c>.</summary>
    public int KvColumns => (KvHeads - 1) * HeadStride + HeadSize;
}
