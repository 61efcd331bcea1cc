using TorchSharp;

namespace SearchSpaceDsl.Supernets;

/// <summary>
/// A whole-model weight-entangled supernet over the architectures of <typeparamref name="TArch"/>: one set of
/// weights sized for <see cref="Capacity"/>, any smaller architecture computed by slicing. Implemented by the
/// module the generator emits for a model class; training, search and extraction work through this interface.
/// </summary>
/// <typeparam name="TArch">The generated architecture type.</typeparam>
public interface ISupernet<TArch> where TArch : class, IArchitecture<TArch>
{
    /// <summary>The largest architecture the weights hold (usually <c>TArch.Space.Largest</c>).</summary>
    TArch Capacity { get; }

    /// <summary>The architecture the forward computes now.</summary>
    TArch Active { get; }

    /// <summary>
    /// Makes the forward compute <paramref name="architecture"/>: stores sizes in every layer, allocates no tensor,
    /// copies no weight. Throws an <see cref="ArgumentException"/> naming the dimension when the architecture does
    /// not fit the capacity.
    /// </summary>
    void Activate(TArch architecture);

    /// <summary>A standalone dense module of exactly <paramref name="architecture"/> with copied weights; its forward equals this supernet's forward with that architecture active.</summary>
    torch.nn.Module<torch.Tensor, torch.Tensor> Extract(TArch architecture);
}
