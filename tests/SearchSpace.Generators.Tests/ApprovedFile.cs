using System.Runtime.CompilerServices;

namespace SearchSpaceDsl.Generators.Tests;

/// <summary>
/// Snapshot comparison against <c>Approved/&lt;name&gt;.verified.cs</c> in the source tree. On a mismatch the actual text
/// goes to <c>&lt;name&gt;.received.cs</c> next to it (git-ignored) and the test fails; with <c>SSD_ACCEPT=1</c> the
/// approved file is overwritten instead.
/// </summary>
internal static class ApprovedFile
{
    public const string AcceptVariable = "SSD_ACCEPT";

    public static void Verify(string name, string actual, [CallerFilePath] string callerPath = "")
    {
        // The source tree, found from this file's compile-time path; where that path is mapped away (deterministic CI
        // builds), the copy of Approved/ in the output directory.
        string sourceDirectory = Path.Combine(Path.GetDirectoryName(callerPath) ?? "", "Approved");
        string directory = Directory.Exists(sourceDirectory) ? sourceDirectory : Path.Combine(AppContext.BaseDirectory, "Approved");
        string approvedPath = Path.Combine(directory, name + ".verified.cs");
        string receivedPath = Path.Combine(directory, name + ".received.cs");
        actual = Normalize(actual);

        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(approvedPath, actual);
            File.Delete(receivedPath);
            return;
        }

        string? approved = File.Exists(approvedPath) ? Normalize(File.ReadAllText(approvedPath)) : null;
        if (approved == actual)
        {
            File.Delete(receivedPath);
            return;
        }

        Directory.CreateDirectory(directory);
        File.WriteAllText(receivedPath, actual);
        string reason = approved is null
            ? $"No approved file {approvedPath}."
            : $"Generated text differs from {approvedPath} at line {FirstDifferentLine(approved, actual)}.";
        Assert.Fail($"{reason} The actual text is in {receivedPath}; compare the two, and if the new text is right, " +
                    $"rename it to {name}.verified.cs or run the tests with {AcceptVariable}=1.");
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n").Replace('\r', '\n');

    private static int FirstDifferentLine(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        int i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i])
            i++;
        return i + 1;
    }
}
