namespace SearchSpaceDsl.Supernets.Training;

/// <summary>
/// Chooses the sub-networks a supernet training step trains: the trainer runs a forward and a backward pass for each
/// architecture of the list and accumulates their gradients before one optimizer step.
/// </summary>
/// <typeparam name="TArch">The generated architecture type.</typeparam>
public interface ISamplingStrategy<TArch> where TArch : class, IArchitecture<TArch>
{
    /// <summary>
    /// The architectures of training step <paramref name="step"/> (counted from 0), in the order they are trained; never
    /// empty, every one valid in <c>TArch.Space</c>. The same step and the same random state give the same list.
    /// </summary>
    /// <param name="step">The index of the training step, at least 0.</param>
    /// <param name="random">The source of randomness for sampled architectures.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is negative.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="random"/> is null.</exception>
    IReadOnlyList<TArch> ArchitecturesFor(int step, Random random);
}
