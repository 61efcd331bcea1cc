using SearchSpaceDsl.Native;

namespace SearchSpaceDsl.Tests.Native;

public class ElfVersionPatcherTests
{
    private const string Version = "GLIBCXX_3.4.32";

    [Fact]
    public void Shipped_library_strongly_needs_GLIBCXX_3_4_32_from_libstdcxx()
    {
        var image = Load(NativeTestFiles.ShippedTorchSharpLibrary);

        var needs = ElfVersionPatcher.ReadVersionNeeds(image);

        var need = Assert.Single(needs, n => n.Version == Version);
        Assert.Equal("libstdc++.so.6", need.File);
        Assert.False(need.IsWeak);
        Assert.Equal(20, needs.Count(n => n.File == "libstdc++.so.6"));
        Assert.Contains("libtorch_cpu.so", image.ReadNeededLibraries());
    }

    [Fact]
    public void MarkWeak_sets_only_the_weak_flag_of_that_entry()
    {
        var path = NativeTestFiles.ShippedTorchSharpLibrary;
        var original = File.ReadAllBytes(path);
        var image = new ElfImage((byte[])original.Clone(), path);
        var flagsOffset = ElfVersionPatcher.ReadVersionNeeds(image).Single(n => n.Version == Version).FlagsOffset;

        Assert.True(ElfVersionPatcher.MarkWeak(image, Version));

        var patched = ElfVersionPatcher.ReadVersionNeeds(image).Single(n => n.Version == Version);
        Assert.True(patched.IsWeak);
        Assert.Equal(ElfVersionNeed.WeakFlag, patched.Flags);
        var changed = Enumerable.Range(0, original.Length).Where(i => original[i] != image.Bytes[i]).ToList();
        Assert.Equal([(int)flagsOffset], changed); // vna_flags went from 0 to 2: one byte, nothing else.
        Assert.Equal(original.Length, image.Bytes.Length);
    }

    [Fact]
    public void MarkWeak_twice_changes_nothing_the_second_time()
    {
        var image = Load(NativeTestFiles.ShippedTorchSharpLibrary);
        Assert.True(ElfVersionPatcher.MarkWeak(image, Version));
        var once = (byte[])image.Bytes.Clone();

        Assert.False(ElfVersionPatcher.MarkWeak(image, Version));

        Assert.Equal(once, image.Bytes);
    }

    [Fact]
    public void MarkWeak_of_a_version_the_library_does_not_need_changes_nothing()
    {
        var image = Load(NativeTestFiles.ShippedTorchSharpLibrary);
        var before = (byte[])image.Bytes.Clone();

        Assert.False(ElfVersionPatcher.MarkWeak(image, "GLIBCXX_9.9.99"));

        Assert.Equal(before, image.Bytes);
    }

    [Fact]
    public void A_file_that_is_not_ELF_is_rejected_with_its_name()
    {
        using var scratch = new ScratchDirectory();
        var path = Path.Combine(scratch.Path, "not-a-library.so");
        File.WriteAllText(path, "this is a text file, not a shared library");

        var error = Assert.Throws<InvalidDataException>(() => Load(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("not an ELF file", error.Message);
    }

    [Fact]
    public void A_32_bit_ELF_file_is_rejected_with_its_name()
    {
        var bytes = new byte[64];
        "\u007fELF"u8.CopyTo(bytes);
        bytes[4] = 1; // ELFCLASS32
        bytes[5] = 1;

        var error = Assert.Throws<InvalidDataException>(() => new ElfImage(bytes, "/lib/x.so"));

        Assert.Contains("'/lib/x.so'", error.Message);
        Assert.Contains("not an ELF64 little-endian file", error.Message);
    }

    [Fact]
    public void A_truncated_library_is_rejected_with_its_name()
    {
        using var scratch = new ScratchDirectory();
        var path = Path.Combine(scratch.Path, "libTruncated.so");
        File.WriteAllBytes(path, File.ReadAllBytes(NativeTestFiles.ShippedTorchSharpLibrary)[..4096]);

        var error = Assert.Throws<InvalidDataException>(() => Load(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void A_library_cut_inside_its_version_section_is_rejected_with_its_name()
    {
        // Keep the section headers (at the end of the file) but zero the version-needs section's bytes,
        // so the Vernaux chain points at garbage: the reader must report it, not patch blindly.
        var path = NativeTestFiles.ShippedTorchSharpLibrary;
        var bytes = File.ReadAllBytes(path);
        var section = new ElfImage(bytes, path).Sections.Single(s => s.Type == ElfImage.ShtGnuVerneed);
        bytes.AsSpan((int)section.Offset, (int)section.Size).Fill(0xff);

        var error = Assert.Throws<InvalidDataException>(() => ElfVersionPatcher.MarkWeak(new ElfImage(bytes, path), Version));

        Assert.Contains(path, error.Message);
    }

    private static ElfImage Load(string path) => new(File.ReadAllBytes(path), path);
}
