using SearchSpaceDsl.Native;

namespace SearchSpaceDsl.Tests.Native;

public class PatchedLibraryCacheTests
{
    private static readonly byte[] Original = [1, 2, 3, 4];
    private static readonly byte[] Patched = [1, 2, 7, 4];

    [Fact]
    public void Store_writes_the_patched_bytes_under_the_original_file_name()
    {
        using var scratch = new ScratchDirectory();
        var root = scratch.Path;

        var path = PatchedLibraryCache.Store("/somewhere/libFoo.so", Original, Patched, [root]);

        Assert.Equal("libFoo.so", Path.GetFileName(path));
        Assert.StartsWith(root, path);
        Assert.Equal(Patched, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!)); // no temporary file left behind
    }

    [Fact]
    public void Store_keys_copies_by_the_original_content()
    {
        using var scratch = new ScratchDirectory();
        var root = scratch.Path;

        var first = PatchedLibraryCache.Store("/a/libFoo.so", Original, Patched, [root]);
        var again = PatchedLibraryCache.Store("/b/libFoo.so", Original, Patched, [root]);
        var other = PatchedLibraryCache.Store("/a/libFoo.so", [9, 9], Patched, [root]);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Store_replaces_a_damaged_copy()
    {
        using var scratch = new ScratchDirectory();
        var root = scratch.Path;
        var path = PatchedLibraryCache.Store("/a/libFoo.so", Original, Patched, [root]);
        File.WriteAllBytes(path, [1, 2]);

        PatchedLibraryCache.Store("/a/libFoo.so", Original, Patched, [root]);

        Assert.Equal(Patched, File.ReadAllBytes(path));
    }

    [Fact]
    public void Store_falls_back_to_the_next_location_when_one_is_not_writable()
    {
        using var scratch = new ScratchDirectory();
        var blocker = Path.Combine(scratch.Path, "a-file");
        File.WriteAllText(blocker, "a directory cannot be created below a file");
        var fallback = Path.Combine(scratch.Path, "fallback");

        var path = PatchedLibraryCache.Store("/a/libFoo.so", Original, Patched, [Path.Combine(blocker, "cache"), fallback]);

        Assert.StartsWith(fallback, path);
        Assert.Equal(Patched, File.ReadAllBytes(path));
    }

    [Fact]
    public void Store_without_a_writable_location_names_the_original_and_every_location()
    {
        using var scratch = new ScratchDirectory();
        var blocker = Path.Combine(scratch.Path, "a-file");
        File.WriteAllText(blocker, "");

        var error = Assert.Throws<IOException>(() =>
            PatchedLibraryCache.Store("/a/libFoo.so", Original, Patched, [Path.Combine(blocker, "one"), Path.Combine(blocker, "two")]));

        Assert.Contains("'/a/libFoo.so'", error.Message);
        Assert.Contains(Path.Combine(blocker, "one"), error.Message);
        Assert.Contains(Path.Combine(blocker, "two"), error.Message);
    }

    [Fact]
    public void Default_locations_are_the_user_cache_then_beside_the_original()
    {
        var roots = PatchedLibraryCache.DefaultRoots("/app/runtimes/linux-x64/native/libLibTorchSharp.so");

        Assert.Equal(2, roots.Count);
        Assert.EndsWith(Path.Combine("SearchSpaceDsl", "native"), roots[0]);
        Assert.Equal("/app/runtimes/linux-x64/native/SearchSpaceDsl-patched", roots[1]);
    }
}
