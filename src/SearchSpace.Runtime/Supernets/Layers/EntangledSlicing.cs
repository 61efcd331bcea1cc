using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Supernets;

/// <summary>
/// Shared plumbing of the entangled layers: parameter creation that survives the caller's dispose scope, copies of an
/// active slice for extraction, and validation whose messages name the layer. Nothing here runs on a forward's hot
/// path except <see cref="CheckFeatures"/>, which allocates nothing unless it throws.
/// </summary>
internal static class EntangledSlicing
{
    /// <summary>Returns <paramref name="name"/> after checking that it names the layer (not null or blank).</summary>
    internal static string LayerName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return name;
    }

    /// <summary>
    /// Wraps a freshly created tensor as a parameter owned by its module: detached from any dispose scope the caller
    /// has open, so the module outlives the scope (as TorchSharp's own modules do).
    /// </summary>
    internal static Parameter OwnedParameter(Tensor data, bool requiresGrad = true)
    {
        var parameter = new Parameter(data, requiresGrad);
        parameter.DetachFromDisposeScope();
        return parameter;
    }

    /// <summary>
    /// A dense copy of <paramref name="slice"/>: detached from the autograd graph, cloned into fresh contiguous
    /// storage (never sharing the supernet's), on the slice's device and dtype. The caller owns the result.
    /// </summary>
    internal static Tensor DenseCopy(Tensor slice)
    {
        using var detached = slice.detach();
        // clone() preserves strides only for dense views; a prefix of a wider matrix is not dense, so it comes back
        // contiguous. The check covers the remaining cases without ever returning a tensor that aliases the slice.
        var copy = detached.clone();
        if (copy.is_contiguous())
            return copy;
        var contiguous = copy.contiguous();
        copy.Dispose();
        return contiguous;
    }

    /// <summary>A dense copy of <paramref name="slice"/> as a parameter owned by the extracted module.</summary>
    internal static Parameter CopyToParameter(Tensor slice, bool requiresGrad) =>
        OwnedParameter(DenseCopy(slice), requiresGrad);

    /// <summary>Throws unless <c>1 ≤ value ≤ max</c>; the message names the layer, the size and the allowed range.</summary>
    internal static void CheckActiveSize(string layer, string parameterName, string what, int value, int max)
    {
        if (value < 1 || value > max)
            ThrowOutOfRange(layer, parameterName, what, value, max);
    }

    /// <summary>Throws unless a maximum size is positive (constructor validation).</summary>
    internal static void CheckMaxSize(string layer, string parameterName, string what, int value)
    {
        if (value < 1)
            throw new ArgumentOutOfRangeException(parameterName, value, $"Layer '{layer}': the maximum {what} must be at least 1.");
    }

    /// <summary>Throws unless a size given to a static cost formula is at least 1; returns it.</summary>
    internal static int CheckCostSize(string parameterName, int value) =>
        value >= 1 ? value : throw new ArgumentOutOfRangeException(parameterName, value, $"{parameterName} must be at least 1.");

    /// <summary>Throws unless the input's last dimension is the active width; the message names the layer.</summary>
    internal static void CheckFeatures(string layer, Tensor input, long expected)
    {
        if (input.dim() == 0 || input.size(-1) != expected)
            ThrowFeatureMismatch(layer, input, expected);
    }

    private static void ThrowOutOfRange(string layer, string parameterName, string what, int value, int max) =>
        throw new ArgumentOutOfRangeException(parameterName, value, $"Layer '{layer}': {what} must be in [1, {max}], got {value}.");

    private static void ThrowFeatureMismatch(string layer, Tensor input, long expected) =>
        throw new ArgumentException(
            $"Layer '{layer}': the input's last dimension must be the active width {expected}, got shape [{string.Join(", ", input.shape)}].",
            nameof(input));
}
