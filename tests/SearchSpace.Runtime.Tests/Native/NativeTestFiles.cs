namespace SearchSpaceDsl.Tests.Native;

/// <summary>The TorchSharp shim as shipped, for the native-loading tests.</summary>
internal static class NativeTestFiles
{
    /// <summary>libLibTorchSharp.so as the build copied it into the test's output.</summary>
    public static string ShippedTorchSharpLibrary { get; } = FindShipped();

    private static string FindShipped()
    {
        var directories = new List<string> { Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native") };
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string searchPath)
            directories.AddRange(searchPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        return directories.Select(d => Path.Combine(d, "libLibTorchSharp.so")).FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"libLibTorchSharp.so is in none of {string.Join(", ", directories)}");
    }
}
