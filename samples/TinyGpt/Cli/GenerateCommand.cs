using System.CommandLine;
using TinyGpt.Pipeline;

namespace TinyGpt.Cli;

/// <summary><c>generate</c>: samples text from any saved model (dense.safetensors or models/*.safetensors).</summary>
internal static class GenerateCommand
{
    public static Command Create(TextWriter output)
    {
        var model = new Option<string>("--model", "-m") { Description = "A saved model: dense.safetensors or models/<name>.safetensors of a run (its .json card beside it).", Required = true };
        var prompt = new Option<string>("--prompt", "-p") { Description = "The text to continue.", DefaultValueFactory = _ => "Call me Ishmael. " };
        var length = new Option<int>("--length", "-n") { Description = "Characters to generate.", DefaultValueFactory = _ => 300 };
        var temperature = new Option<double>("--temperature", "-t") { Description = "Sampling temperature (0: greedy).", DefaultValueFactory = _ => 0.8 };
        var seed = new Option<int>("--seed") { Description = "Seeds the sampling.", DefaultValueFactory = _ => 42 };
        var command = new Command("generate", "Sample text from a saved model.");
        command.Add(model);
        command.Add(prompt);
        command.Add(length);
        command.Add(temperature);
        command.Add(seed);
        command.SetAction(result =>
        {
            var text = TextGeneration.Generate(result.GetValue(model)!, result.GetValue(prompt) ?? "", result.GetValue(length), result.GetValue(temperature), result.GetValue(seed));
            output.WriteLine(text);
            return 0;
        });
        return command;
    }
}
