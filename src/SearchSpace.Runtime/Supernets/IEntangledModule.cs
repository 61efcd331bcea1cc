using TorchSharp;

namespace SearchSpaceDsl.Supernets;

/// <summary>
/// A module of a weight-entangled supernet: it holds max-size weights and computes with the slice its active sizes
/// select (prefixes, BRIEF section 3). Setting active sizes stores integers only: no tensor is allocated and no
/// weight is copied, so switching sub-networks is free.
/// </summary>
public interface IEntangledModule
{
    /// <summary>The number of parameters of the active slice: exactly what <see cref="Extract"/> holds.</summary>
    long ActiveParameterCount { get; }

    /// <summary>
    /// A standalone dense module of the active slice whose parameters are copies of the slice, on the same device and
    /// dtype; its forward equals this module's forward for the active sizes, and it shares no storage with the supernet.
    /// </summary>
    torch.nn.Module Extract();
}
