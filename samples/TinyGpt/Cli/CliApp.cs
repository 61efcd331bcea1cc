using System.CommandLine;
using Spectre.Console;
using TinyGpt.Pipeline;

namespace TinyGpt.Cli;

/// <summary>
/// The command line of the main job: with no command it runs the whole pipeline with embedded defaults; the commands
/// run one step each on a run folder. Every failure ends as one line on the error writer and a non-zero exit code:
/// 2 for usage errors, 1 for everything else.
/// </summary>
public static class CliApp
{
    /// <summary>Parses <paramref name="args"/>, runs the command and returns the exit code.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="output">Where output goes (the console by default).</param>
    /// <param name="error">Where the error line goes (the console's error stream by default).</param>
    public static int Run(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var console = output == Console.Out
            ? AnsiConsole.Console
            : AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Interactive = InteractionSupport.No, Ansi = AnsiSupport.No });
        var log = new SpectreLog(console);
        var root = BuildRoot(log, output);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            error.WriteLine($"error: {parsed.Errors[0].Message} (see --help)");
            return 2;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            error.WriteLine($"error: {Describe(e)}");
            return 1;
        }
    }

    private static string Describe(Exception e)
    {
        var message = e.Message.Split('\n')[0].Trim();
        return e is PipelineException or ArgumentException or IOException or UnauthorizedAccessException or SearchSpaceDsl.Search.StudyException or FormatException
            ? message
            : $"{e.GetType().Name}: {message}";
    }

    /// <summary>The root command and its subcommands.</summary>
    public static RootCommand BuildRoot(IPipelineLog log, TextWriter output)
    {
        var all = new PipelineOptionSet().Out().Seed().Data().Threads().Resume().Batches().Dense().FineTune().Search().Latency().Tolerance();
        var root = new RootCommand(
            "Compress a character-level GPT trained on Moby Dick: with no command, train the dense model, fine-tune the supernet, " +
            "search (NSGA-II), prune as a baseline and report, all into one run folder whose path is printed.");
        all.AddTo(root);
        root.SetAction(result =>
        {
            var summary = CompressionPipeline.Run(all.Bind(result), log);
            _ = summary;
            return 0;
        });

        var train = Step("train", "Train the dense model (the largest architecture) and save dense.safetensors.",
            new PipelineOptionSet().Out().Seed().Data().Threads().Resume().Batches().Dense(),
            (options, run, evaluation) => DenseTraining.Run(options, evaluation, run, log), log);
        var supernet = Step("supernet-train", "Load the dense model into the supernet, importance-sort it, fine-tune it with the sandwich rule.",
            new PipelineOptionSet().RunFolder().Seed().Data().Threads().Resume().Batches().FineTune(),
            (options, run, evaluation) => SupernetFineTuning.Run(options, evaluation, run, log), log);
        var search = Step("search", "Search the fine-tuned supernet over perplexity, parameters and latency in a SQLite study (--resume continues it).",
            new PipelineOptionSet().RunFolder().Seed().Data().Threads().Resume().Batches().Search().Latency(),
            (options, run, evaluation) => ArchitectureSearch.Run(options, evaluation, run, log), log);
        var report = Step("report", "Prune the dense model to the front's sizes and write the report, plot, JSON/CSV and extracted models.",
            new PipelineOptionSet().RunFolder().Seed().Data().Threads().Batches().Latency().Tolerance(),
            (options, run, evaluation) => Report.Run(options, evaluation, run, log), log);
        root.Add(train);
        root.Add(supernet);
        root.Add(search);
        root.Add(report);
        root.Add(ExtractCommand.Create(log));
        root.Add(GenerateCommand.Create(output));
        return root;
    }

    private static Command Step(string name, string description, PipelineOptionSet options, Action<PipelineOptions, RunFolder, Evaluation> step, IPipelineLog log)
    {
        var command = new Command(name, description);
        options.AddTo(command);
        command.SetAction(result =>
        {
            var settings = options.Bind(result);
            var run = CompressionPipeline.Prepare(settings);
            log.Line($"Run folder: {run.FullPath}");
            using var evaluation = new Evaluation(settings);
            step(settings, run, evaluation);
            return 0;
        });
        return command;
    }
}
