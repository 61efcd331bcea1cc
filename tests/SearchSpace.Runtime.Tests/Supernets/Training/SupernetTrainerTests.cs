using SearchSpaceDsl.Supernets.Training;
using TorchSharp;
using static SearchSpaceDsl.Tests.Supernets.Training.TrainingTestHelpers;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets.Training;

public sealed class SupernetTrainerTests
{
    private const int Vocab = TinyLmModel.Vocab;
    private static readonly SearchSpace<TinyLmArch> Space = TinyLmArch.Space;

    [Fact]
    public void A_sandwich_step_accumulates_the_sum_of_the_per_architecture_gradients()
    {
        using var scope = NewDisposeScope();
        var model = TinyLmModel.Create(seed: 1);
        var (inputs, targets) = RandomBatch(Vocab, batch: 4, context: 8, seed: 2);
        var initial = Snapshot(model);
        var strategy = new Recording<TinyLmArch>(new SandwichSampling<TinyLmArch>(randomCount: 2));
        using var trainer = new SupernetTrainer<TinyLmModel, TinyLmArch>(model, new SupernetTrainingOptions { Seed = 4 }, strategy);

        var result = trainer.Step(inputs, targets);
        var accumulated = Gradients(model);
        var architectures = strategy.Calls.Single();
        Assert.Equal(4, architectures.Count);
        Assert.Equal(architectures, result.Losses.Select(l => l.Architecture));
        Assert.All(result.Losses, l => Assert.False(l.Distilled));

        // The same architectures one at a time from the same weights, each with its own backward, summed by hand.
        Restore(model, initial);
        var expected = model.named_parameters().ToDictionary(p => p.name, p => zeros_like(p.parameter));
        var losses = new List<double>();
        foreach (var architecture in architectures)
        {
            ClearGradients(model);
            model.Activate(architecture);
            var logits = model.forward(inputs);
            var loss = nn.functional.cross_entropy(logits.reshape(-1, Vocab), targets.reshape(-1));
            loss.backward();
            losses.Add(loss.ToDouble());
            foreach (var (name, gradient) in Gradients(model))
                expected[name].add_(gradient);
        }

        Assert.True(MaxAbsDiff(expected, accumulated) <= 1e-5, $"max abs diff {MaxAbsDiff(expected, accumulated):E3}");
        Assert.True(accumulated.Values.Sum(g => g.abs().sum().ToDouble()) > 0);
        for (var i = 0; i < losses.Count; i++)
            Assert.Equal(losses[i], result.Losses[i].Loss, 1e-5);
        Assert.Equal(losses.Average(), result.Loss, 1e-5);
        Assert.Equal(1, trainer.StepsDone);
    }

    [Fact]
    public void With_distillation_the_smallest_is_trained_on_the_KL_to_the_largest_of_the_same_step()
    {
        using var scope = NewDisposeScope();
        const double temperature = 2.0;
        var model = TinyLmModel.Create(seed: 3);
        var (inputs, targets) = RandomBatch(Vocab, batch: 2, context: 5, seed: 4);
        var initial = Snapshot(model);

        // By hand, in double precision, from the logits before the step.
        var teacher = Logits(model, Space.Largest, inputs);
        var student = Logits(model, Space.Smallest, inputs);
        var expectedCrossEntropy = HandCrossEntropy(teacher, targets.data<long>().ToArray());
        var expectedKl = HandDistillation(student, teacher, temperature);

        var options = new SupernetTrainingOptions { Distillation = true, DistillationTemperature = temperature };
        using var trainer = new SupernetTrainer<TinyLmModel, TinyLmArch>(model, options, new SandwichSampling<TinyLmArch>(0));
        var result = trainer.Step(inputs, targets);
        var accumulated = Gradients(model);

        Assert.Equal(Space.Largest, result.Losses[0].Architecture);
        Assert.False(result.Losses[0].Distilled);
        Assert.Equal(expectedCrossEntropy, result.Losses[0].Loss, 1e-5);
        Assert.Equal(Space.Smallest, result.Losses[1].Architecture);
        Assert.True(result.Losses[1].Distilled);
        Assert.Equal(expectedKl, result.Losses[1].Loss, 1e-5);
        Assert.True(expectedKl > 1e-4, $"the sub-networks should disagree at initialisation (KL {expectedKl})");

        // The gradient: cross-entropy of the largest plus the KL of the smallest towards the largest's logits as a
        // constant (no gradient flows through the teacher).
        Restore(model, initial);
        ClearGradients(model);
        model.Activate(Space.Largest);
        var teacherLogits = model.forward(inputs);
        nn.functional.cross_entropy(teacherLogits.reshape(-1, Vocab), targets.reshape(-1)).backward();
        var constantTeacher = teacherLogits.detach();
        model.Activate(Space.Smallest);
        var studentLogits = model.forward(inputs);
        var pTeacher = nn.functional.softmax(constantTeacher / temperature, -1);
        var kl = (pTeacher * (pTeacher.log() - nn.functional.log_softmax(studentLogits / temperature, -1))).sum(-1).mean() * (temperature * temperature);
        kl.backward();
        var expected = Gradients(model);
        Assert.True(MaxAbsDiff(expected, accumulated) <= 1e-5, $"max abs diff {MaxAbsDiff(expected, accumulated):E3}");
    }

    [Fact]
    public void Distillation_without_the_largest_in_the_step_uses_a_forward_of_the_largest_without_gradient()
    {
        using var scope = NewDisposeScope();
        var model = TinyLmModel.Create(seed: 5);
        var (inputs, targets) = RandomBatch(Vocab, batch: 2, context: 6, seed: 6);
        var expectedKl = HandDistillation(Logits(model, Space.Smallest, inputs), Logits(model, Space.Largest, inputs), 1.0);

        var options = new SupernetTrainingOptions { Distillation = true };
        using var trainer = new SupernetTrainer<TinyLmModel, TinyLmArch>(model, options, new FixedSampling<TinyLmArch>(Space.Smallest));
        var result = trainer.Step(inputs, targets);

        var loss = Assert.Single(result.Losses);
        Assert.True(loss.Distilled);
        Assert.Equal(expectedKl, loss.Loss, 1e-5);
        // Only the smallest's slices got gradients: the second block is outside it, the teacher's forward had no grad.
        var secondBlock = Gradients(model).Where(g => g.Key.StartsWith("norm.1.", StringComparison.Ordinal) || g.Key.StartsWith("mlp.1.", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, secondBlock.Count); // norm weight and bias, fc1 and fc2 weights and biases
        foreach (var (name, gradient) in secondBlock)
            Assert.True(gradient.abs().max().ToDouble() == 0, name);
    }

    [Fact]
    public void The_fixed_strategy_changes_only_the_weights_inside_its_architecture()
    {
        using var scope = NewDisposeScope();
        var architecture = new TinyLmArch(8, 2, [32, 16]);
        var model = TinyLmModel.Create(seed: 7);
        var masks = ActiveMasks(model, architecture);
        var before = Snapshot(model);

        var options = new SupernetTrainingOptions { LearningRate = 1e-2, WeightDecay = 0, GradientClipNorm = 0.5, Steps = 3, Seed = 1 };
        using var trainer = new SupernetTrainer<TinyLmModel, TinyLmArch>(model, options, new FixedSampling<TinyLmArch>(architecture));
        var batch = 0;
        trainer.Train(() => RandomBatch(Vocab, batch: 4, context: 8, seed: 100 + batch++));
        var after = Snapshot(model);
        Assert.Equal(3, batch);

        long changedInside = 0;
        foreach (var (name, mask) in masks)
        {
            var changed = after[name].ne(before[name]);
            Assert.True(changed.logical_and(mask.logical_not()).sum().ToInt64() == 0, $"'{name}' changed outside the active slice");
            changedInside += changed.logical_and(mask).sum().ToInt64();
        }
        var activeCount = masks.Values.Sum(m => m.sum().ToInt64());
        Assert.True(changedInside > activeCount / 2, $"{changedInside} of {activeCount} active weights changed");
        Assert.True(activeCount < masks.Values.Sum(m => m.numel()));
    }

    [Fact]
    public void Step_and_evaluate_restore_the_active_architecture_and_the_mode()
    {
        using var scope = NewDisposeScope();
        var model = TinyLmModel.Create(seed: 8);
        var middle = new TinyLmArch(16, 1, [16]);
        model.Activate(middle);
        model.eval();
        var (inputs, targets) = RandomBatch(Vocab, batch: 2, context: 4, seed: 9);
        using var trainer = new SupernetTrainer<TinyLmModel, TinyLmArch>(
            model, new SupernetTrainingOptions { Distillation = true }, new SandwichSampling<TinyLmArch>(1));

        trainer.Step(inputs, targets);
        Assert.Equal(middle, model.Active);
        Assert.False(model.training);

        model.train();
        var evaluation = trainer.Evaluate(Space.Smallest, [(inputs, targets), (inputs, targets)]);
        Assert.Equal(middle, model.Active);
        Assert.True(model.training);
        Assert.Equal(16, evaluation.Tokens);
        Assert.Equal(HandCrossEntropy(Logits(model, Space.Smallest, inputs), targets.data<long>().ToArray()), evaluation.Loss, 1e-5);
        Assert.Equal(Math.Exp(evaluation.Loss), evaluation.Perplexity, 1e-12);

        // A failing step restores too: an architecture beyond the capacity.
        var small = TinyLmModel.Create(seed: 0, capacity: Space.Smallest);
        using var failing = new SupernetTrainer<TinyLmModel, TinyLmArch>(small, new SupernetTrainingOptions(), new SandwichSampling<TinyLmArch>(0));
        var error = Assert.Throws<ArgumentException>(() => failing.Step(inputs, targets));
        Assert.Contains("Width = 16 exceeds the capacity's 8", error.Message);
        Assert.Equal(Space.Smallest, small.Active);
        Assert.Equal(0, failing.StepsDone);
    }

    [Fact]
    public void Memory_stays_flat_over_200_steps()
    {
        var model = TinyLmModel.Create(seed: 10);
        var tokens = Enumerable.Range(0, 500).Select(i => (i * 7 + i / 13) % Vocab).ToArray();
        var options = new SupernetTrainingOptions { Steps = 10, BatchSize = 4, Context = 8, GradientClipNorm = 1.0, Distillation = true };
        using var trainer = new SupernetTrainer<TinyLmModel, TinyLmArch>(model, options, new SandwichSampling<TinyLmArch>(2));

        trainer.Train(tokens); // the optimizer's state exists from here on
        trainer.Evaluate(Space.Smallest, tokens, maxBatches: 3);
        var statistics = DisposeScopeManager.Statistics;
        var liveBefore = statistics.ThreadTotalLiveCount;
        for (var i = 0; i < 19; i++)
            trainer.Train(tokens);
        trainer.Evaluate(Space.Smallest, tokens, maxBatches: 3);
        var liveAfter = statistics.ThreadTotalLiveCount;

        Assert.Equal(200, trainer.StepsDone);
        Assert.True(liveAfter <= liveBefore, $"live tensors grew from {liveBefore} to {liveAfter} over 190 steps");
    }

    [Fact]
    public void Bad_options_and_batches_give_clear_errors()
    {
        AssertOutOfRange("Steps", "at least 1", () => new SupernetTrainingOptions { Steps = 0 });
        AssertOutOfRange("Steps", "at least 1", () => new SupernetTrainingOptions { Steps = -5 });
        AssertOutOfRange("LearningRate", "positive", () => new SupernetTrainingOptions { LearningRate = 0 });
        AssertOutOfRange("LearningRate", "positive", () => new SupernetTrainingOptions { LearningRate = -1e-3 });
        AssertOutOfRange("LearningRate", "finite", () => new SupernetTrainingOptions { LearningRate = double.NaN });
        AssertOutOfRange("DistillationTemperature", "positive", () => new SupernetTrainingOptions { DistillationTemperature = 0 });
        AssertOutOfRange("DistillationTemperature", "positive", () => new SupernetTrainingOptions { DistillationTemperature = -1 });
        AssertOutOfRange("WeightDecay", "0 or more", () => new SupernetTrainingOptions { WeightDecay = -0.1 });
        AssertOutOfRange("GradientClipNorm", "positive", () => new SupernetTrainingOptions { GradientClipNorm = 0 });
        AssertOutOfRange("BatchSize", "at least 1", () => new SupernetTrainingOptions { BatchSize = 0 });
        AssertOutOfRange("Context", "at least 1", () => new SupernetTrainingOptions { Context = 0 });
        var valid = new SupernetTrainingOptions();
        AssertOutOfRange("Steps", "got 0", () => valid with { Steps = 0 });
        Assert.Null(valid.GradientClipNorm);
        Assert.Null((valid with { GradientClipNorm = null }).GradientClipNorm);
        Assert.Throws<ArgumentOutOfRangeException>(() => SupernetLosses.Distillation(ones(2, 3), ones(2, 3), 0));

        using var scope = NewDisposeScope();
        var model = new TinyLmModel();
        var strategy = new SandwichSampling<TinyLmArch>();
        Assert.Throws<ArgumentNullException>(() => new SupernetTrainer<TinyLmModel, TinyLmArch>(null!, valid, strategy));
        Assert.Throws<ArgumentNullException>(() => new SupernetTrainer<TinyLmModel, TinyLmArch>(model, null!, strategy));
        Assert.Throws<ArgumentNullException>(() => new SupernetTrainer<TinyLmModel, TinyLmArch>(model, valid, null!));

        using var trainer = new SupernetTrainer<TinyLmModel, TinyLmArch>(model, valid, strategy);
        var (inputs, targets) = RandomBatch(Vocab, batch: 2, context: 4, seed: 1);
        Assert.Contains("int64", Assert.Throws<ArgumentException>(() => trainer.Step(inputs.to_type(ScalarType.Int32), targets)).Message);
        Assert.Contains("[batch, context]", Assert.Throws<ArgumentException>(() => trainer.Step(inputs, targets.reshape(-1))).Message);
        Assert.Contains("no batch", Assert.Throws<ArgumentException>(() => trainer.Evaluate(Space.Largest, [])).Message);
        Assert.Contains("chose no architecture", Assert.Throws<InvalidOperationException>(() =>
            new SupernetTrainer<TinyLmModel, TinyLmArch>(model, valid, new Empty()).Step(inputs, targets)).Message);
        Assert.Equal(0, trainer.StepsDone);

        static void AssertOutOfRange(string property, string phrase, Func<SupernetTrainingOptions> create)
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => create());
            Assert.Equal(property, error.ParamName);
            Assert.Contains(phrase, error.Message);
        }
    }

    private sealed class Empty : ISamplingStrategy<TinyLmArch>
    {
        public IReadOnlyList<TinyLmArch> ArchitecturesFor(int step, Random random) => [];
    }

    /// <summary>Per parameter, true where <paramref name="architecture"/>'s active slices read it.</summary>
    private static Dictionary<string, Tensor> ActiveMasks(TinyLmModel model, TinyLmArch architecture)
    {
        var saved = Snapshot(model);
        var previous = model.Active;
        using (no_grad())
        {
            foreach (var (_, parameter) in model.named_parameters())
                parameter.zero_();
            model.Activate(architecture);
            foreach (var (_, slice) in model.ActiveSlices())
                slice.fill_(1); // prefix slices are views of the max weights
        }
        var masks = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().eq(1).DetachFromDisposeScope());
        model.Activate(previous);
        Restore(model, saved);
        return masks;
    }

    /// <summary>The logits of one architecture as doubles <c>[positions][vocab]</c>, without gradient.</summary>
    private static double[][] Logits(TinyLmModel model, TinyLmArch architecture, Tensor inputs)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var previous = model.Active;
        model.Activate(architecture);
        var flat = model.forward(inputs).reshape(-1, Vocab).to_type(ScalarType.Float64);
        model.Activate(previous);
        var values = flat.data<double>().ToArray();
        return Enumerable.Range(0, values.Length / Vocab).Select(p => values[(p * Vocab)..((p + 1) * Vocab)]).ToArray();
    }

    private static double[] LogSoftmax(double[] logits, double temperature)
    {
        var scaled = logits.Select(z => z / temperature).ToArray();
        var max = scaled.Max();
        var logSum = max + Math.Log(scaled.Sum(z => Math.Exp(z - max)));
        return scaled.Select(z => z - logSum).ToArray();
    }

    private static double HandCrossEntropy(double[][] logits, long[] targets) =>
        logits.Select((row, p) => -LogSoftmax(row, 1.0)[targets[p]]).Average();

    private static double HandDistillation(double[][] student, double[][] teacher, double temperature) =>
        temperature * temperature * student.Select((row, p) =>
        {
            var logTeacher = LogSoftmax(teacher[p], temperature);
            var logStudent = LogSoftmax(row, temperature);
            return logTeacher.Select((lt, v) => Math.Exp(lt) * (lt - logStudent[v])).Sum();
        }).Average();
}
