using System.ComponentModel;

namespace SearchSpaceDsl.Supernets;

/// <summary>
/// Checks that the code generated for <see cref="SupernetAttribute"/> models calls before it changes anything. Each
/// allocates nothing unless it throws, so that <c>Activate</c> stays allocation-free; messages name the dimension
/// (per-layer values with their index) and the layer.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SupernetChecks
{
    /// <summary>Throws unless <paramref name="architecture"/> is a member of its space (the message lists every reason).</summary>
    /// <typeparam name="TArch">The generated architecture type.</typeparam>
    /// <param name="architecture">The architecture to check.</param>
    /// <param name="paramName">The parameter named by the exception.</param>
    /// <exception cref="ArgumentNullException"><paramref name="architecture"/> is null.</exception>
    /// <exception cref="ArgumentException">It is not a member of <c>TArch.Space</c>.</exception>
    public static void EnsureMember<TArch>(TArch architecture, string paramName)
        where TArch : class, IArchitecture<TArch>
    {
        ArgumentNullException.ThrowIfNull(architecture, paramName);
        if (!TArch.Space.IsValid(architecture))
            TArch.Space.EnsureValid(architecture, paramName);
    }

    /// <summary>Throws unless an active size fits the size the layer was built with.</summary>
    /// <param name="value">The architecture's size.</param>
    /// <param name="capacity">The capacity's size for the same layer.</param>
    /// <param name="dimension">The dimension as written in the model, <c>[i]</c> standing for the layer index (e.g. <c>MlpRatio[i]·EmbedDim</c>).</param>
    /// <param name="layer">The layer's state-dict name.</param>
    /// <param name="index">The index in a per-layer list, or -1 for a single layer.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> exceeds <paramref name="capacity"/>.</exception>
    public static void EnsureFits(int value, int capacity, string dimension, string layer, int index)
    {
        if (value > capacity)
            throw DoesNotFit($"{Dimension(dimension, index)} = {value} exceeds the capacity's {capacity} in layer '{Layer(layer, index)}'.");
    }

    /// <summary>Throws when an architecture turns a bias on that the layer was built without.</summary>
    /// <param name="value">The architecture's bias choice.</param>
    /// <param name="capacity">The capacity's bias choice for the same layer.</param>
    /// <param name="dimension">The dimension as written in the model, <c>[i]</c> standing for the layer index.</param>
    /// <param name="layer">The layer's state-dict name.</param>
    /// <param name="index">The index in a per-layer list, or -1 for a single layer.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> is true and <paramref name="capacity"/> false.</exception>
    public static void EnsureFits(bool value, bool capacity, string dimension, string layer, int index)
    {
        if (value && !capacity)
            throw DoesNotFit($"{Dimension(dimension, index)} = true, but layer '{Layer(layer, index)}' was built without a bias (the capacity's {Dimension(dimension, index)} is false).");
    }

    /// <summary>
    /// Throws unless grouped-query attention can run <paramref name="heads"/> query heads in <paramref name="kvGroups"/>
    /// groups: a multiple, with no more query heads per group than the layer was built with.
    /// </summary>
    /// <param name="heads">The architecture's query heads.</param>
    /// <param name="kvGroups">The architecture's key/value groups.</param>
    /// <param name="capacityHeads">The capacity's query heads for the same layer.</param>
    /// <param name="capacityKvGroups">The capacity's key/value groups for the same layer.</param>
    /// <param name="headsDimension">The heads dimension as written in the model, <c>[i]</c> standing for the layer index.</param>
    /// <param name="kvDimension">The groups dimension as written in the model, <c>[i]</c> standing for the layer index.</param>
    /// <param name="layer">The layer's state-dict name.</param>
    /// <param name="index">The index in a per-layer list, or -1 for a single layer.</param>
    /// <exception cref="ArgumentException">The heads are not a multiple of the groups, or a group has too many query heads.</exception>
    public static void EnsureGroups(int heads, int kvGroups, int capacityHeads, int capacityKvGroups,
        string headsDimension, string kvDimension, string layer, int index)
    {
        if (kvGroups < 1 || heads % kvGroups != 0)
            throw DoesNotFit($"{Dimension(headsDimension, index)} = {heads} is not a multiple of {Dimension(kvDimension, index)} = {kvGroups} in layer '{Layer(layer, index)}'.");
        int perGroupMax = capacityKvGroups < 1 ? capacityHeads : capacityHeads / capacityKvGroups;
        if (heads / kvGroups > perGroupMax)
            throw DoesNotFit($"{Dimension(headsDimension, index)} / {Dimension(kvDimension, index)} = {heads / kvGroups} query heads per group exceeds the capacity's {perGroupMax} in layer '{Layer(layer, index)}'.");
    }

    /// <summary>Throws unless a context length is at least 1.</summary>
    /// <param name="context">The number of positions each token attends to.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="context"/> is below 1.</exception>
    public static void EnsureContext(int context)
    {
        if (context < 1)
            throw new ArgumentOutOfRangeException(nameof(context), context, "The context must be at least 1 position.");
    }

    private static ArgumentException DoesNotFit(string detail) =>
        new("The architecture does not fit the supernet's capacity: " + detail, "architecture");

    private static string Dimension(string dimension, int index) =>
        index < 0 ? dimension : dimension.Replace("[i]", $"[{index}]", StringComparison.Ordinal);

    private static string Layer(string layer, int index) => index < 0 ? layer : $"{layer}.{index}";
}
