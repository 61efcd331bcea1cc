using System.Diagnostics;
using System.Text;

namespace SearchSpaceDsl.Packaging.Tests;

/// <summary>What a <c>dotnet</c> command printed and how it ended.</summary>
internal sealed record DotNetResult(string Command, string WorkingDirectory, int ExitCode, bool TimedOut, TimeSpan Elapsed, string Output)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;

    /// <summary>The command, how it ended and everything it printed, for a failure message.</summary>
    public string Describe() =>
        $"`{Command}` in {WorkingDirectory} " +
        (TimedOut ? $"did not finish within {Elapsed.TotalSeconds:F0} s and was killed" : $"exited with {ExitCode} after {Elapsed.TotalSeconds:F0} s") +
        $". Its output:{Environment.NewLine}{Output}";
}

/// <summary>Runs the .NET CLI in a child process, as a user at a terminal would.</summary>
internal static class DotNetCli
{
    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/>; kills the process tree after <paramref name="timeout"/>.</summary>
    public static DotNetResult Run(string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        // The dotnet that runs these tests, so a machine with several SDKs builds the consumer with the same one.
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);

        // Tests run inside `dotnet test`, whose MSBuild exports the paths of its own SDK and build; a child that inherits
        // them builds against that SDK's internals rather than its own.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";

        var output = new StringBuilder();
        var command = $"dotnet {string.Join(' ', arguments)}";
        var watch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        if (!process.Start())
            throw new InvalidOperationException($"`{command}` did not start.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new DotNetResult(command, workingDirectory, -1, TimedOut: true, watch.Elapsed, Text(output));
        }

        process.WaitForExit(); // drains the redirected output
        return new DotNetResult(command, workingDirectory, process.ExitCode, TimedOut: false, watch.Elapsed, Text(output));
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
            return;
        lock (output)
            output.AppendLine(line);
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
            return output.ToString();
    }
}
