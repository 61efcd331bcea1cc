using System.Security.Cryptography;

namespace SearchSpaceDsl.Native;

/// <summary>
/// Stores patched copies of native libraries under a directory named by the original's content hash, so every
/// app and test run on the machine shares one copy per library version and a new package version gets its own.
/// </summary>
internal static class PatchedLibraryCache
{
    /// <summary>
    /// The directories tried in order: the per-user cache (<c>$XDG_CACHE_HOME</c> or <c>~/.cache</c>), then a folder
    /// beside the original for users without a writable home. Never a shared temp folder, where another user could
    /// plant a library for us to load.
    /// </summary>
    public static IReadOnlyList<string> DefaultRoots(string originalPath)
    {
        var roots = new List<string>();
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (!string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg))
            roots.Add(Path.Combine(xdg, "SearchSpaceDsl", "native"));
        else if (!string.IsNullOrEmpty(home))
            roots.Add(Path.Combine(home, ".cache", "SearchSpaceDsl", "native"));
        roots.Add(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(originalPath))!, "SearchSpaceDsl-patched"));
        return roots;
    }

    /// <summary>
    /// Returns the path of a file with exactly <paramref name="patched"/> as content and the original's file name,
    /// under the first of <paramref name="roots"/> that is writable; an existing identical copy is reused.
    /// </summary>
    public static string Store(string originalPath, byte[] original, byte[] patched, IReadOnlyList<string> roots)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(original))[..16];
        var failures = new List<string>();
        foreach (var root in roots)
        {
            var target = Path.Combine(root, key, Path.GetFileName(originalPath));
            try
            {
                if (!File.Exists(target) || !File.ReadAllBytes(target).AsSpan().SequenceEqual(patched))
                    WriteAtomically(target, patched);
                return target;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                failures.Add($"'{target}': {e.Message}");
            }
        }

        throw new IOException(
            $"Cannot write a patched copy of '{originalPath}': no location is writable ({string.Join("; ", failures)}). " +
            "Make $XDG_CACHE_HOME or ~/.cache writable.");
    }

    // Write beside the target and rename: a concurrent reader sees either no file or the whole file, never a part.
    private static void WriteAtomically(string target, byte[] content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temporary = $"{target}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
    }
}
