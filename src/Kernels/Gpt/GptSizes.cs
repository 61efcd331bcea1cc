namespace SearchSpaceDsl.Kernels;

/// <summary>
/// The sizes of one sub-network of the GPT family <see cref="KernelGpt"/> runs (the TinyGpt sample and HW-GPT-Bench's
/// GPT-2 spaces): embedding width, depth, and per layer the number of attention heads and the MLP hidden width.
/// </summary>
/// <param name="EmbedDim">The embedding (residual) width.</param>
/// <param name="Layers">Blocks <c>0 … Layers−1</c> run; the final norm and the head always run.</param>
/// <param name="Heads">Attention heads per layer (at least <paramref name="Layers"/> entries; later ones are ignored).</param>
/// <param name="Hidden">MLP hidden width per layer (at least <paramref name="Layers"/> entries), e.g. ratio·EmbedDim.</param>
/// <param name="Bias">Whether the linear layers add their biases (norms always do).</param>
public sealed record GptSizes(int EmbedDim, int Layers, IReadOnlyList<int> Heads, IReadOnlyList<int> Hidden, bool Bias)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"d {EmbedDim}, {Layers} layers, heads [{string.Join(", ", Heads.Take(Layers))}], hidden [{string.Join(", ", Hidden.Take(Layers))}], bias {(Bias ? "on" : "off")}";
}
