using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Supernets.Gradient;

/// <summary>The weights step that gradient search and MODNAS share: one optimizer step of the supernet under a mixture.</summary>
internal static class MixedWeightStep
{
    /// <summary>
    /// Computes <paramref name="batch"/> under <paramref name="mixture"/>, back-propagates the loss into the supernet's
    /// weights, clips their gradient (when <paramref name="clipNorm"/> &gt; 0), steps and ends the mixture. Call it inside
    /// a dispose scope. Returns the loss.
    /// </summary>
    public static double Run<TModel, TArch>(
        TModel model,
        ArchitectureMixture mixture,
        Func<Tensor, Tensor, Tensor> loss,
        (Tensor Input, Tensor Target) batch,
        optim.Optimizer optimizer,
        IReadOnlyList<Parameter> weights,
        double clipNorm)
        where TModel : nn.Module<Tensor, Tensor>, IMixableSupernet<TArch>
        where TArch : class, IArchitecture<TArch>
    {
        model.Mix(mixture);
        var value = loss(model.forward(batch.Input), batch.Target);
        mixture.EnsureDepthsUsed(model.GetName());
        optimizer.zero_grad();
        value.backward();
        if (clipNorm > 0)
            nn.utils.clip_grad_norm_(weights, clipNorm);
        optimizer.step();
        var result = value.ToDouble();
        model.ClearMixture();
        return result;
    }
}
