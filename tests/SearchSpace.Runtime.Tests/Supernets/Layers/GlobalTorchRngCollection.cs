namespace SearchSpaceDsl.Tests.Supernets;

/// <summary>
/// Tests that read torch's global generator after <c>torch.manual_seed</c> (layer initialisation). The generator is
/// process-wide, so these run after the parallel tests, one at a time, where no other test draws from it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalTorchRngCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Entangled layers: global torch generator";
}
