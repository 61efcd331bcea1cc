using TinyGpt.Cli;

namespace SearchSpaceDsl.Tests.Pipeline;

/// <summary>The sample's command line, invoked in-process with redirected output.</summary>
public sealed class TinyGptCliTests
{
    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = CliApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData(new string[0], new[] { "--out", "--seed", "--resume", "--trials", "--optimizer", "--dense-steps", "--finetune-steps" })]
    [InlineData(new[] { "train" }, new[] { "--out", "--seed", "--dense-steps", "--resume" })]
    [InlineData(new[] { "supernet-train" }, new[] { "--out", "--finetune-steps", "--no-distillation" })]
    [InlineData(new[] { "search" }, new[] { "--out", "--trials", "--optimizer", "--resume", "--latency-repeats" })]
    [InlineData(new[] { "report" }, new[] { "--out", "--tolerance" })]
    [InlineData(new[] { "extract" }, new[] { "--out", "--arch", "--trial", "--name" })]
    [InlineData(new[] { "generate" }, new[] { "--model", "--prompt", "--length", "--temperature", "--seed" })]
    public void Help_of_every_command_exits_0_and_lists_its_options(string[] command, string[] options)
    {
        var (code, output, error) = Run([.. command, "--help"]);
        Assert.Equal(0, code);
        Assert.Equal("", error);
        foreach (var option in options)
            Assert.Contains(option, output);
    }

    [Theory]
    [InlineData("--trials", "many")]
    [InlineData("--no-such-option")]
    [InlineData("search", "--out")]
    public void A_bad_argument_is_one_error_line_and_exit_code_2(params string[] args)
    {
        var (code, _, error) = Run(args);
        Assert.Equal(2, code);
        AssertOneErrorLine(error);
    }

    [Fact]
    public void A_missing_model_file_is_one_error_line_naming_it()
    {
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "missing.safetensors");
        var (code, _, error) = Run("generate", "--model", path);
        Assert.Equal(1, code);
        AssertOneErrorLine(error);
        Assert.Contains($"cannot read '{path}'", error);
    }

    [Fact]
    public void A_missing_run_folder_or_unknown_optimizer_is_one_error_line()
    {
        var folder = Path.Combine(Path.GetTempPath(), "tinygpt-cli-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (code, _, error) = Run("supernet-train", "--out", folder);
            Assert.Equal(1, code);
            AssertOneErrorLine(error);
            Assert.Contains("dense.safetensors", error);

            (code, _, error) = Run("search", "--out", folder, "--optimizer", "simulated-annealing");
            Assert.Equal(1, code);
            AssertOneErrorLine(error);
            Assert.Contains("unknown optimizer", error);

            (code, _, error) = Run("train", "--out", folder, "--data", Path.Combine(folder, "none.txt"));
            Assert.Equal(1, code);
            AssertOneErrorLine(error);
            Assert.Contains("cannot read", error);
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }

    private static void AssertOneErrorLine(string error)
    {
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("error: ", lines[0]);
    }
}
