namespace SearchSpaceDsl.Supernets.Gradient;

/// <summary>Checks generated supernets run before they take a mixture.</summary>
public static class SupernetMixing
{
    /// <summary>
    /// Throws unless <paramref name="mixture"/> belongs to <typeparamref name="TArch"/>'s space and
    /// <paramref name="capacity"/> is the space's largest architecture (so that every option of every size has weights).
    /// </summary>
    /// <exception cref="ArgumentNullException">The mixture is null.</exception>
    /// <exception cref="ArgumentException">Either condition fails; the message says which.</exception>
    public static void EnsureMixable<TArch>(ArchitectureMixture mixture, TArch capacity) where TArch : class, IArchitecture<TArch>
    {
        EnsureSpace<TArch>(mixture);
        var description = TArch.Space.Description;
        if (!capacity.Equals(TArch.Space.Largest))
            throw new ArgumentException(
                $"Mixing needs a supernet whose capacity is the largest architecture of '{description.Name}' ({TArch.Space.Largest}), "
                + $"so that every option has weights; this one holds {capacity}.", nameof(mixture));
    }

    /// <summary>Throws unless <paramref name="mixture"/> belongs to <typeparamref name="TArch"/>'s space.</summary>
    /// <exception cref="ArgumentNullException">The mixture is null.</exception>
    /// <exception cref="ArgumentException">It belongs to another space.</exception>
    public static void EnsureSpace<TArch>(ArchitectureMixture mixture) where TArch : class, IArchitecture<TArch>
    {
        ArgumentNullException.ThrowIfNull(mixture);
        var description = TArch.Space.Description;
        if (!ReferenceEquals(mixture.Description, description))
            throw new ArgumentException(
                $"The mixture belongs to search space '{mixture.Description.Name}', not '{description.Name}'.", nameof(mixture));
    }
}
