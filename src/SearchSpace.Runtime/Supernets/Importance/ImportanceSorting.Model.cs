using TorchSharp;

namespace SearchSpaceDsl.Supernets;

public static partial class ImportanceSorting
{
    /// <summary>
    /// Sorts every <see cref="EntangledMlp"/> and <see cref="EntangledSelfAttention"/> of a whole model (found through
    /// <c>named_modules()</c>, the model itself included) by its weight-based scores, most important first; see
    /// <see cref="Sort(EntangledMlp)"/> and <see cref="Sort(EntangledSelfAttention, bool)"/>.
    /// </summary>
    /// <remarks>
    /// <para>The whole model computes the same function afterwards: each layer's permutation is internal to it. An MLP
    /// permutes its hidden neurons (the rows of <c>fc1</c> and its bias, the columns of <c>fc2</c> together), an attention
    /// layer its heads, key/value groups and head dimensions (the rows of the query, key and value projections and the
    /// columns of the output projection together); the features a layer reads and writes (the residual stream, the
    /// embedding and the norms) keep their order, so every other layer sees exactly the inputs it saw before. Only the
    /// sub-networks that keep a prefix of the units change: they now keep the most important ones.</para>
    /// <para>Other layers (embeddings, norms, plain linear layers) are left alone: their prefixes are shared across
    /// layers through the residual stream, so permuting them would need one order for the whole model.</para>
    /// </remarks>
    /// <param name="model">The model, permuted in place.</param>
    /// <param name="sortHeadDims">Whether attention layers sort the dimensions within heads too (see
    /// <see cref="Sort(EntangledSelfAttention, bool)"/>).</param>
    /// <returns>The names of the sorted layers (as in <c>named_modules()</c>; empty for the model itself), in module order.</returns>
    public static IReadOnlyList<string> Sort(torch.nn.Module model, bool sortHeadDims = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        var sorted = new List<string>();
        foreach (var (name, module) in model.named_modules())
        {
            switch (module)
            {
                case EntangledMlp mlp:
                    Sort(mlp);
                    sorted.Add(name);
                    break;
                case EntangledSelfAttention attention:
                    Sort(attention, sortHeadDims);
                    sorted.Add(name);
                    break;
            }
        }
        return sorted;
    }
}
