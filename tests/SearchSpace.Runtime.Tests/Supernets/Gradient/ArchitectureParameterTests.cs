using SearchSpaceDsl.Checkpoints;
using SearchSpaceDsl.Supernets.Gradient;
using TorchSharp;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets.Gradient;

/// <summary>Architecture parameters: layout, gradients, checkpoints, records, and bad input.</summary>
public sealed class ArchitectureParameterTests
{
    private static double Objective(RegressionModel model, ArchitectureParameters<RegressionArch> arch, Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        return Loss(model, arch, MixingMode.Darts(), x, y).ToDouble();
    }

    private static Tensor Loss(RegressionModel model, ArchitectureParameters<RegressionArch> arch, MixingMode mode, Tensor x, Tensor y, Generator? g = null)
    {
        var mixture = arch.Mix(mode, 0.5, g);
        model.Mix(mixture);
        var loss = RegressionTask.Mse(model.forward(x), y) + RegressionModel.ExpectedParameters(mixture) / 408.0;
        model.ClearMixture();
        return loss;
    }

    [Fact]
    public void There_is_one_logit_vector_per_gene_position_named_by_dimension_and_slot()
    {
        using var arch = new ArchitectureParameters<RegressionArch>();
        Assert.Equal(4, arch.Logits.Count); // Depth, Width[0..2]
        Assert.Equal(12, arch.Count);
        Assert.All(arch.Logits, l => Assert.Equal(3, l.size(0)));
        Assert.Same(arch.Logits[2], arch.LogitsOf("Width", 1));
        Assert.Equal(["Depth", "Width_0", "Width_1", "Width_2"], arch.named_parameters().Select(p => p.name));
    }

    [Fact]
    public void Architecture_gradients_are_non_zero_and_agree_with_finite_differences()
    {
        using var scope = NewDisposeScope();
        using var model = RegressionModel.Create(2, ScalarType.Float64);
        using var arch = new ArchitectureParameters<RegressionArch>(initialStd: 0.5, seed: 2, dtype: ScalarType.Float64);
        using var task = new RegressionTask(2, ScalarType.Float64);
        var (x, y) = task.Batch(16);

        Loss(model, arch, MixingMode.Darts(), x, y).backward();
        const double eps = 1e-6;
        foreach (var logits in arch.Logits)
        {
            var grad = logits.grad!.data<double>().ToArray();
            for (int i = 0; i < grad.Length; i++)
            {
                double original = logits[i].ToDouble();
                using (no_grad()) logits[i] = original + eps;
                double plus = Objective(model, arch, x, y);
                using (no_grad()) logits[i] = original - eps;
                double minus = Objective(model, arch, x, y);
                using (no_grad()) logits[i] = original;
                double numeric = (plus - minus) / (2 * eps);
                Assert.True(Math.Abs(grad[i] - numeric) <= 1e-6 + 1e-5 * Math.Abs(numeric), $"analytic {grad[i]} vs numeric {numeric}");
            }
            Assert.Contains(grad, g => Math.Abs(g) > 1e-4);
        }
    }

    [Theory]
    [InlineData("GDAS")]
    [InlineData("DrNAS")]
    public void Sampling_modes_give_reproducible_non_zero_architecture_gradients(string name)
    {
        using var scope = NewDisposeScope();
        var mode = name == "GDAS" ? MixingMode.Gdas(TemperatureSchedule.Constant(1)) : MixingMode.DrNas();
        using var model = RegressionModel.Create(3);
        using var task = new RegressionTask(3);
        var (x, y) = task.Batch(16);
        double[] Gradients()
        {
            using var arch = new ArchitectureParameters<RegressionArch>(initialStd: 0.1, seed: 3);
            using var g = new Generator(11);
            Loss(model, arch, mode, x, y, g).backward();
            return [.. arch.Logits.SelectMany(l => l.grad!.data<float>().ToArray().Select(v => (double)v))];
        }
        var first = Gradients();
        Assert.Contains(first, v => Math.Abs(v) > 1e-5);
        Assert.Equal(first, Gradients());
    }

    [Fact]
    public void Derivation_takes_the_argmax_of_every_position_and_ignores_slots_beyond_the_depth()
    {
        using var arch = new ArchitectureParameters<RegressionArch>(initialStd: 0);
        using (no_grad())
        {
            arch.LogitsOf("Depth")[1] = 1;
            arch.LogitsOf("Width", 0)[2] = 1;
            arch.LogitsOf("Width", 1)[0] = 1;
            arch.LogitsOf("Width", 2)[1] = 1;
        }
        Assert.Equal(RegressionArch.Parse("Depth=2, Width=[8, 2]"), arch.Derive());
    }

    [Fact]
    public void Checkpoints_hold_the_architecture_parameters_alone_under_arch_names()
    {
        string path = Path.Combine(Path.GetTempPath(), $"arch-{Guid.NewGuid():N}.safetensors");
        try
        {
            using var arch = new ArchitectureParameters<RegressionArch>(initialStd: 1, seed: 5);
            arch.Save(path);
            using (var content = SafeTensorsFile.Read(path))
                Assert.Equal(["arch.Depth", "arch.Width.0", "arch.Width.1", "arch.Width.2"], content.Entries.Select(e => e.Name));
            using var other = new ArchitectureParameters<RegressionArch>(initialStd: 1, seed: 6);
            other.Load(path);
            for (int g = 0; g < arch.Logits.Count; g++)
                Assert.True(arch.Logits[g].allclose(other.Logits[g], rtol: 0, atol: 0));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_history_is_written_as_csv_with_one_column_per_option()
    {
        using var task = new RegressionTask(1);
        using var model = RegressionModel.Create(1);
        var options = GradientSearchTests.Options("GDAS", 1) with { Steps = 4, WarmupSteps = 1 };
        using var search = new GradientSearch<RegressionModel, RegressionArch>(model, RegressionTask.Mse, options);
        var result = search.Run(() => task.Batch(8), () => task.Batch(8));
        var writer = new StringWriter();
        result.History.WriteCsv(writer);
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal(5, lines.Length);
        Assert.Equal("step,temperature,train_loss,valid_loss,cost,Depth=1,Depth=2,Depth=3,Width[0]=2,Width[0]=4,Width[0]=8,Width[1]=2,Width[1]=4,Width[1]=8,Width[2]=2,Width[2]=4,Width[2]=8", lines[0]);
        Assert.StartsWith("0,2,", lines[1]);
        Assert.Equal(17, lines[1].Split(',').Length);
        Assert.Equal("", lines[1].Split(',')[3]); // warm-up: no architecture step
        Assert.Null(model.Mixture);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void A_temperature_that_is_not_positive_is_refused_with_a_clear_message(double temperature)
    {
        var error = Assert.Throws<ArgumentException>(() => TemperatureSchedule.Constant(temperature));
        Assert.Contains("temperature must be a positive finite number", error.Message);
        Assert.Throws<ArgumentException>(() => new TemperatureSchedule(10, temperature));
    }

    [Fact]
    public void Temperature_schedules_fall_linearly_or_exponentially()
    {
        var linear = new TemperatureSchedule(10, 0.1);
        Assert.Equal(10, linear.At(0));
        Assert.Equal(5.05, linear.At(0.5), 12);
        Assert.Equal(0.1, linear.At(1), 12);
        var exponential = new TemperatureSchedule(10, 0.1, TemperatureDecay.Exponential);
        Assert.Equal(1, exponential.At(0.5), 12);
        Assert.Throws<ArgumentException>(() => new TemperatureSchedule(0.1, 10));
    }

    [Fact]
    public void A_mixture_of_another_space_or_a_smaller_capacity_is_refused()
    {
        using var scope = NewDisposeScope();
        var d = RegressionArch.Space.Description;
        var weights = d.Dimensions.SelectMany(dim => Enumerable.Range(0, dim.Slots).Select(_ => ones(dim.Count) / dim.Count)).ToArray();
        var mixture = new ArchitectureMixture(d, weights);
        using var small = new RegressionModel(RegressionArch.Parse("Depth=3, Width=[4, 4, 4]"));
        var error = Assert.Throws<ArgumentException>(() => small.Mix(mixture));
        Assert.Contains("largest architecture", error.Message);
        Assert.Throws<ArgumentException>(() => new ArchitectureMixture(d, weights[..2]));
    }
}
