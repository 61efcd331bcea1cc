namespace SearchSpaceDsl.Native;

/// <summary>One Vernaux entry of <c>.gnu.version_r</c>: a symbol version a library needs from another library.</summary>
/// <param name="File">The library the version is needed from, e.g. <c>libstdc++.so.6</c>.</param>
/// <param name="Version">The version name, e.g. <c>GLIBCXX_3.4.32</c>.</param>
/// <param name="Flags">vna_flags.</param>
/// <param name="FlagsOffset">The file offset of vna_flags, the only bytes a patch changes.</param>
internal readonly record struct ElfVersionNeed(string File, string Version, ushort Flags, ulong FlagsOffset)
{
    /// <summary>VER_FLG_WEAK: the dynamic loader does not fail when the needed library lacks this version.</summary>
    public const ushort WeakFlag = 0x2;

    /// <summary>Whether the requirement is weak.</summary>
    public bool IsWeak => (Flags & WeakFlag) != 0;
}
