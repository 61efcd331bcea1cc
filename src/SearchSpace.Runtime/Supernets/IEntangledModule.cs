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

    /// <summary>
    /// For each parameter the active sub-network uses, its state-dict name relative to this module (exactly as
    /// <c>named_parameters()</c> names it, e.g. <c>weight</c>, <c>fc1.bias</c>, <c>query.weight</c>) and a tensor holding
    /// exactly the active slice, in the layout a module of this type whose max sizes equal the active sizes holds it.
    /// A bias the sub-network does not use is not listed.
    /// </summary>
    /// <remarks>
    /// The list is built when called (later <c>SetActive</c> calls do not change it). Prefix slices are views of the max
    /// weights (sharing their storage and autograd history); strided selections (a head size below its max, fewer
    /// query heads per group than the max) are gathered copies. The caller owns the tensors: dispose them, or let a
    /// dispose scope do so. <see cref="EntangledModules.CopyActiveSlices"/> copies them into a dense module.
    /// </remarks>
    IEnumerable<(string Name, torch.Tensor Slice)> ActiveSlices();
}
