using static TorchSharp.torch;

namespace SearchSpaceDsl.Supernets.Training;

/// <summary>The losses of supernet training on next-token logits <c>[..., vocab]</c>.</summary>
public static class SupernetLosses
{
    /// <summary>The mean next-token cross-entropy (nats per token) of <paramref name="logits"/> against <paramref name="targets"/>.</summary>
    /// <param name="logits">Logits <c>[..., vocab]</c>.</param>
    /// <param name="targets">Token ids (int64) with the logits' shape without the last dimension.</param>
    /// <returns>A scalar tensor.</returns>
    public static Tensor CrossEntropy(Tensor logits, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        var vocab = logits.size(-1);
        using var flatLogits = logits.reshape(-1, vocab);
        using var flatTargets = targets.reshape(-1);
        return nn.functional.cross_entropy(flatLogits, flatTargets);
    }

    /// <summary>
    /// The in-place distillation loss of a student sub-network towards the teacher's logits (Hinton et al. 2015, as
    /// OFA, BigNAS and whittle use it): <c>T² · mean over positions of KL(p_teacher ‖ p_student)</c> with
    /// <c>p = softmax(logits / T)</c>, i.e. <c>T² · mean Σ_v p_t(v)·(log p_t(v) − log p_s(v))</c>. The teacher is
    /// detached (no gradient flows into it). The <c>T²</c> factor keeps the gradient's scale independent of the
    /// temperature; at <c>T = 1</c> the loss is the plain KL divergence, whose gradient in the student's logits is that of
    /// the cross-entropy to the teacher's soft labels.
    /// </summary>
    /// <param name="studentLogits">The student's logits <c>[..., vocab]</c>.</param>
    /// <param name="teacherLogits">The teacher's logits, same shape.</param>
    /// <param name="temperature">The softmax temperature, positive and finite.</param>
    /// <returns>A scalar tensor.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The temperature is not positive and finite.</exception>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Tensor Distillation(Tensor studentLogits, Tensor teacherLogits, double temperature = 1.0)
    {
        ArgumentNullException.ThrowIfNull(studentLogits);
        ArgumentNullException.ThrowIfNull(teacherLogits);
        if (!double.IsFinite(temperature) || temperature <= 0)
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, $"The distillation temperature must be positive and finite, got {temperature}.");
        if (!studentLogits.shape.SequenceEqual(teacherLogits.shape))
            throw new ArgumentException(
                $"The student's logits [{string.Join(", ", studentLogits.shape)}] and the teacher's [{string.Join(", ", teacherLogits.shape)}] differ in shape.",
                nameof(teacherLogits));

        using var scope = NewDisposeScope();
        var vocab = studentLogits.size(-1);
        using var teacher = teacherLogits.detach();
        var logTeacher = nn.functional.log_softmax(teacher.reshape(-1, vocab) / temperature, 1);
        var logStudent = nn.functional.log_softmax(studentLogits.reshape(-1, vocab) / temperature, 1);
        var perPosition = (logTeacher.exp() * (logTeacher - logStudent)).sum(1);
        return (perPosition.mean() * (temperature * temperature)).MoveToOuterDisposeScope();
    }
}
