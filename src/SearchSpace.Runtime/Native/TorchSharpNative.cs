using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace SearchSpaceDsl.Native;

/// <summary>
/// Makes TorchSharp's native shim load on Linux systems whose libstdc++ is older than the one it was built with.
/// </summary>
/// <remarks>
/// <para>
/// TorchSharp 0.107's <c>libLibTorchSharp.so</c> is built with GCC 13+ and so requires the symbol version
/// <c>GLIBCXX_3.4.32</c>, which older libstdc++ (Debian 12, Ubuntu 22.04: up to 3.4.30) lacks. The only symbol
/// behind that requirement, <c>std::ios_base_library_init</c>, is never called, so marking the requirement weak is
/// safe. When the library does not load as shipped, this class loads a copy with that one flag set, kept in the
/// per-user cache; TorchSharp's own loads of <c>LibTorchSharp</c> then bind to it by soname.
/// </para>
/// <para>
/// Why at run time rather than patching bin/ at build time: a build step only reaches projects that import it, would
/// have to rewrite files the SDK may hard-link from the NuGet cache, and misses natives resolved from that cache;
/// loading on demand works the same under <c>dotnet run</c>, <c>dotnet test</c> and published apps, and patches
/// nothing where the library loads as is. The loader is installed by this assembly's module initializer and by
/// the module initializer that <c>build/SearchSpace.Runtime.targets</c> adds to consuming projects.
/// </para>
/// </remarks>
public static class TorchSharpNative
{
    private const string LibraryName = "LibTorchSharp";
    private const string FileName = "libLibTorchSharp.so";
    private const string RelaxedVersion = "GLIBCXX_3.4.32";

    private static readonly Lock Gate = new();
    private static nint handle;
    private static int registered;

    /// <summary>
    /// Loads TorchSharp's native library now, patching a copy when this system's libstdc++ is too old.
    /// Call it before the first use of TorchSharp in code that may run before anything else of this runtime
    /// (entry points of this runtime already do). Idempotent and cheap after the first call; does nothing
    /// outside Linux.
    /// </summary>
    /// <exception cref="DllNotFoundException">
    /// The library is missing, is not a valid ELF64 file, cannot be patched or written, or still fails to load;
    /// the message names the file and the reason.
    /// </exception>
    public static void EnsureLoaded()
    {
        if (!OperatingSystem.IsLinux())
            return;
        lock (Gate)
        {
            if (handle == 0)
                handle = Load(FindOriginal());
        }
    }

    /// <summary>
    /// Installs the on-demand loader: from then on, TorchSharp's first native call loads the library as
    /// <see cref="EnsureLoaded"/> does, and only if it fails to load as shipped. Cheap, idempotent, never throws.
    /// This assembly does it when first used; <c>build/SearchSpace.Runtime.targets</c> (imported by NuGet for package
    /// consumers) adds a call to it to every C# project that references this runtime, so calling TorchSharp first works too.
    /// </summary>
    public static void Register()
    {
        if (!OperatingSystem.IsLinux() || Interlocked.Exchange(ref registered, 1) == 1)
            return;
        AssemblyLoadContext.Default.ResolvingUnmanagedDll += OnResolvingUnmanagedDll;
    }

    // Referencing an assembly does not run it, so without a hook TorchSharp could fail before anyone calls
    // EnsureLoaded. The hook is free until needed: the runtime raises the event only when its own probing for
    // TorchSharp's native library has already failed.
#pragma warning disable CA2255 // A library module initializer is the point: it must run before TorchSharp loads.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RegisterOnLoad() => Register();

    private static nint OnResolvingUnmanagedDll(Assembly assembly, string name)
    {
        if (name != LibraryName || assembly.GetName().Name != "TorchSharp")
            return 0;
        EnsureLoaded();
        return handle;
    }

    /// <summary>Loads <paramref name="original"/>, or a patched copy of it when it does not load as shipped.</summary>
    internal static nint Load(string original)
    {
        // Parse before the first dlopen: glibc's loader dies of SIGBUS on a truncated library instead of failing.
        byte[] bytes;
        ElfImage image;
        bool relaxable;
        try
        {
            bytes = File.ReadAllBytes(original);
            image = new ElfImage((byte[])bytes.Clone(), original);
            relaxable = ElfVersionPatcher.MarkWeak(image, RelaxedVersion);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new DllNotFoundException($"TorchSharp's native library cannot be used: {e.Message}", e);
        }

        string reason;
        try
        {
            return NativeLibrary.Load(original); // Loads as shipped wherever libstdc++ is new enough.
        }
        catch (DllNotFoundException e)
        {
            reason = e.Message;
        }

        if (!relaxable)
            throw new DllNotFoundException(
                $"TorchSharp's native library '{original}' does not load and has no strong {RelaxedVersion} " +
                $"requirement that could be relaxed. Loader error: {reason}");
        string patched;
        try
        {
            patched = PatchedLibraryCache.Store(original, bytes, image.Bytes, PatchedLibraryCache.DefaultRoots(original));
        }
        catch (IOException e)
        {
            throw new DllNotFoundException($"TorchSharp's native library '{original}' does not load ({reason}): {e.Message}", e);
        }

        try
        {
            PreloadDependencies(image, Path.GetDirectoryName(original)!);
            return NativeLibrary.Load(patched);
        }
        catch (DllNotFoundException e)
        {
            throw new DllNotFoundException(
                $"TorchSharp's native library '{original}' does not load ({reason}), and neither does its copy " +
                $"'{patched}' with {RelaxedVersion} marked weak: {e.Message}", e);
        }
    }

    // A copy in the cache directory cannot find libtorch through its $ORIGIN run path, so load the libraries it
    // needs from beside the original first; the loader then matches them by soname.
    private static void PreloadDependencies(ElfImage image, string directory)
    {
        foreach (var needed in image.ReadNeededLibraries())
        {
            var path = Path.Combine(directory, needed);
            if (File.Exists(path))
                NativeLibrary.Load(path);
        }
    }

    // The directories the runtime itself probes for this app (deps.json), then TorchSharp's own folder.
    private static string FindOriginal()
    {
        var directories = new List<string>();
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string searchPath)
            directories.AddRange(searchPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        foreach (var baseDirectory in new[] { Path.GetDirectoryName(typeof(TorchSharp.torch).Assembly.Location), AppContext.BaseDirectory })
        {
            if (!string.IsNullOrEmpty(baseDirectory))
                directories.AddRange([baseDirectory, Path.Combine(baseDirectory, "runtimes", "linux-x64", "native")]);
        }

        return directories.Select(d => Path.Combine(d, FileName)).FirstOrDefault(File.Exists)
            ?? throw new DllNotFoundException(
                $"TorchSharp's native library {FileName} was not found in any of: {string.Join(", ", directories.Distinct())}. " +
                "Reference the TorchSharp and libtorch-cpu-linux-x64 packages from the application.");
    }
}
