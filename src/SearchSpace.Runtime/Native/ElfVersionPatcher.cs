namespace SearchSpaceDsl.Native;

/// <summary>
/// Reads and relaxes the symbol-version requirements of an ELF64 shared library. Marking a requirement weak
/// (VER_FLG_WEAK in its Vernaux entry) makes glibc's loader accept a library whose dependency lacks that version;
/// it is only safe for a version whose symbols the library never binds, which the caller must know.
/// </summary>
internal static class ElfVersionPatcher
{
    private const int VerneedSize = 16;
    private const int VernauxSize = 16;

    /// <summary>Every Vernaux entry of every SHT_GNU_verneed section, following vn_next and vna_next.</summary>
    public static IReadOnlyList<ElfVersionNeed> ReadVersionNeeds(ElfImage image)
    {
        var needs = new List<ElfVersionNeed>();
        foreach (var section in image.Sections.Where(s => s.Type == ElfImage.ShtGnuVerneed))
        {
            image.CheckRange(section.Offset, section.Size, ".gnu.version_r section");
            var strings = image.LinkedSection(section, ".gnu.version_r");
            var end = section.Offset + section.Size;
            var verneed = section.Offset;
            // sh_info holds the number of Verneed entries; the chain must agree with it.
            for (uint i = 0; i < section.Info; i++)
            {
                CheckEntry(image, verneed, VerneedSize, end, "Verneed");
                var file = image.ReadString(strings, image.ReadUInt32(verneed + 4));   // vn_file
                var auxCount = image.ReadUInt16(verneed + 2);                           // vn_cnt
                var vernaux = verneed + image.ReadUInt32(verneed + 8);                  // vn_aux
                for (var j = 0; j < auxCount; j++)
                {
                    CheckEntry(image, vernaux, VernauxSize, end, "Vernaux");
                    needs.Add(new ElfVersionNeed(
                        file,
                        Version: image.ReadString(strings, image.ReadUInt32(vernaux + 8)), // vna_name
                        Flags: image.ReadUInt16(vernaux + 4),                              // vna_flags
                        FlagsOffset: vernaux + 4));
                    var nextAux = image.ReadUInt32(vernaux + 12);                         // vna_next
                    if (nextAux == 0 && j != auxCount - 1)
                        throw image.Error($"the Vernaux chain of '{file}' ends after {j + 1} of {auxCount} entries");
                    vernaux += nextAux;
                }

                var next = image.ReadUInt32(verneed + 12);                                // vn_next
                if (next == 0 && i != section.Info - 1)
                    throw image.Error($"the Verneed chain ends after {i + 1} of {section.Info} entries");
                verneed += next;
            }
        }

        return needs;
    }

    /// <summary>
    /// Sets VER_FLG_WEAK on every requirement of <paramref name="version"/> in <paramref name="image"/>'s bytes,
    /// changing nothing else. Returns false when there is no such requirement or all of them are already weak.
    /// </summary>
    public static bool MarkWeak(ElfImage image, string version)
    {
        var before = ReadVersionNeeds(image);
        var targets = before.Where(n => n.Version == version && !n.IsWeak).ToList();
        foreach (var need in targets)
            image.WriteUInt16(need.FlagsOffset, (ushort)(need.Flags | ElfVersionNeed.WeakFlag));

        // Re-read the patched bytes: the target must now be weak and every other entry exactly as it was.
        var after = ReadVersionNeeds(image);
        for (var i = 0; i < before.Count; i++)
        {
            var expected = before[i].Version == version
                ? before[i] with { Flags = (ushort)(before[i].Flags | ElfVersionNeed.WeakFlag) }
                : before[i];
            if (after[i] != expected)
                throw image.Error($"patching {version} produced {after[i]}, expected {expected}");
        }

        return targets.Count > 0;
    }

    private static void CheckEntry(ElfImage image, ulong offset, int size, ulong sectionEnd, string what)
    {
        if (offset + (ulong)size > sectionEnd)
            throw image.Error($"a {what} entry at offset {offset} lies outside the .gnu.version_r section (ends at {sectionEnd})");
    }
}
