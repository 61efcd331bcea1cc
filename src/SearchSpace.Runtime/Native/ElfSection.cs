namespace SearchSpaceDsl.Native;

/// <summary>The fields of one ELF64 section header that the native loader needs.</summary>
/// <param name="Type">sh_type, e.g. <see cref="ElfImage.ShtGnuVerneed"/>.</param>
/// <param name="Offset">sh_offset: where the section's bytes start in the file.</param>
/// <param name="Size">sh_size in bytes.</param>
/// <param name="Link">sh_link: for version and dynamic sections, the index of their string table.</param>
/// <param name="Info">sh_info: for a version-needs section, its number of entries.</param>
internal readonly record struct ElfSection(uint Type, ulong Offset, ulong Size, uint Link, uint Info);
