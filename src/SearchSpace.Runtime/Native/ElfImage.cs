using System.Buffers.Binary;
using System.Text;

namespace SearchSpaceDsl.Native;

/// <summary>
/// An ELF64 little-endian file held in memory, read through its section headers. Every read is bounds-checked,
/// so a damaged or foreign file gives an <see cref="InvalidDataException"/> that names the file and the problem
/// instead of an index error or a silently wrong patch.
/// </summary>
internal sealed class ElfImage
{
    /// <summary>SHT_DYNAMIC: the dynamic section (DT_NEEDED and friends).</summary>
    public const uint ShtDynamic = 6;

    /// <summary>SHT_GNU_verneed: the <c>.gnu.version_r</c> section (versions needed from other libraries).</summary>
    public const uint ShtGnuVerneed = 0x6ffffffe;

    private const long DtNeeded = 1;
    private const int HeaderSize = 64;
    private const int SectionHeaderSize = 64;

    public ElfImage(byte[] bytes, string path)
    {
        Bytes = bytes;
        Path = path;
        if (bytes.Length < 16 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
            throw Error("not an ELF file (no \\x7fELF magic)");
        if (bytes[4] != 2 || bytes[5] != 1)
            throw Error($"not an ELF64 little-endian file (EI_CLASS {bytes[4]}, EI_DATA {bytes[5]}; expected 2 and 1)");
        if (bytes.Length < HeaderSize)
            throw Error($"truncated: {bytes.Length} bytes, shorter than the {HeaderSize}-byte ELF64 header");
        Sections = ReadSectionHeaders();
    }

    /// <summary>The file's bytes; patches write into this array.</summary>
    public byte[] Bytes { get; }

    /// <summary>The file the bytes came from, for error messages.</summary>
    public string Path { get; }

    /// <summary>The section headers, in file order (index 0 is the null section).</summary>
    public IReadOnlyList<ElfSection> Sections { get; }

    /// <summary>The sonames in DT_NEEDED entries of the dynamic section, in order.</summary>
    public IReadOnlyList<string> ReadNeededLibraries()
    {
        var needed = new List<string>();
        foreach (var dynamic in Sections.Where(s => s.Type == ShtDynamic))
        {
            var strings = LinkedSection(dynamic, "dynamic");
            CheckRange(dynamic.Offset, dynamic.Size, "dynamic section");
            for (ulong entry = 0; entry + 16 <= dynamic.Size; entry += 16)
            {
                var tag = (long)ReadUInt64(dynamic.Offset + entry);
                if (tag == 0)
                    break; // DT_NULL ends the table.
                if (tag == DtNeeded)
                    needed.Add(ReadString(strings, ReadUInt64(dynamic.Offset + entry + 8)));
            }
        }

        return needed;
    }

    /// <summary>The section a section's sh_link names (its string table), checked to exist.</summary>
    public ElfSection LinkedSection(ElfSection section, string what)
    {
        if (section.Link == 0 || section.Link >= Sections.Count)
            throw Error($"the {what} section links to string table {section.Link}, which does not exist");
        return Sections[(int)section.Link];
    }

    /// <summary>The NUL-terminated string at <paramref name="offset"/> inside a string table section.</summary>
    public string ReadString(ElfSection table, ulong offset)
    {
        CheckRange(table.Offset, table.Size, "string table");
        if (offset >= table.Size)
            throw Error($"string offset {offset} lies outside its string table ({table.Size} bytes)");
        var span = Bytes.AsSpan(checked((int)(table.Offset + offset)), checked((int)(table.Size - offset)));
        var end = span.IndexOf((byte)0);
        if (end < 0)
            throw Error($"the string at offset {offset} of a string table is not NUL-terminated");
        return Encoding.UTF8.GetString(span[..end]);
    }

    public ushort ReadUInt16(ulong offset) => BinaryPrimitives.ReadUInt16LittleEndian(Slice(offset, 2));

    public uint ReadUInt32(ulong offset) => BinaryPrimitives.ReadUInt32LittleEndian(Slice(offset, 4));

    public ulong ReadUInt64(ulong offset) => BinaryPrimitives.ReadUInt64LittleEndian(Slice(offset, 8));

    public void WriteUInt16(ulong offset, ushort value) =>
        BinaryPrimitives.WriteUInt16LittleEndian(Bytes.AsSpan(checked((int)offset), 2), value);

    /// <summary>Throws unless <c>[offset, offset + length)</c> lies inside the file.</summary>
    public void CheckRange(ulong offset, ulong length, string what)
    {
        if (offset > (ulong)Bytes.Length || length > (ulong)Bytes.Length - offset)
            throw Error($"truncated or corrupt: the {what} at offset {offset} ({length} bytes) extends past the end of the file ({Bytes.Length} bytes)");
    }

    public InvalidDataException Error(string problem) => new($"ELF file '{Path}': {problem}.");

    private ReadOnlySpan<byte> Slice(ulong offset, int length)
    {
        CheckRange(offset, (ulong)length, $"{length}-byte field");
        return Bytes.AsSpan((int)offset, length);
    }

    private List<ElfSection> ReadSectionHeaders()
    {
        var tableOffset = ReadUInt64(0x28);  // e_shoff
        var entrySize = ReadUInt16(0x3A);    // e_shentsize
        ulong count = ReadUInt16(0x3C);      // e_shnum
        if (tableOffset == 0)
            throw Error("no section header table (e_shoff is 0)");
        if (entrySize < SectionHeaderSize)
            throw Error($"section header entries are {entrySize} bytes, expected at least {SectionHeaderSize}");
        if (count == 0)
        {
            // Extended numbering: with 0xff00 sections or more, the count lives in section 0's sh_size.
            CheckRange(tableOffset, SectionHeaderSize, "section header table");
            count = ReadUInt64(tableOffset + 32);
        }

        if (count > (ulong)Bytes.Length / entrySize)
            throw Error($"truncated or corrupt: {count} section headers cannot fit in {Bytes.Length} bytes");
        CheckRange(tableOffset, count * entrySize, "section header table");
        var sections = new List<ElfSection>((int)count);
        for (ulong i = 0; i < count; i++)
        {
            var header = tableOffset + i * entrySize;
            sections.Add(new ElfSection(
                Type: ReadUInt32(header + 4),
                Offset: ReadUInt64(header + 24),
                Size: ReadUInt64(header + 32),
                Link: ReadUInt32(header + 40),
                Info: ReadUInt32(header + 44)));
        }

        return sections;
    }
}
