using TorchSharp;

namespace SearchSpaceDsl.Checkpoints;

/// <summary>
/// The safetensors dtype codes (<c>F32</c>, <c>BF16</c>, ...) of the TorchSharp element types that have one, and
/// their sizes in bytes.
/// </summary>
public static class SafeTensorsDType
{
    private static readonly (string Code, torch.ScalarType Type, int Size)[] Table =
    [
        ("BOOL", torch.ScalarType.Bool, 1),
        ("U8", torch.ScalarType.Byte, 1),
        ("I8", torch.ScalarType.Int8, 1),
        ("I16", torch.ScalarType.Int16, 2),
        ("I32", torch.ScalarType.Int32, 4),
        ("I64", torch.ScalarType.Int64, 8),
        ("F16", torch.ScalarType.Float16, 2),
        ("BF16", torch.ScalarType.BFloat16, 2),
        ("F32", torch.ScalarType.Float32, 4),
        ("F64", torch.ScalarType.Float64, 8),
        ("C64", torch.ScalarType.ComplexFloat32, 8),
    ];

    /// <summary>Every supported code, comma-separated, for error messages.</summary>
    public static string SupportedCodes { get; } = string.Join(", ", Table.Select(e => e.Code));

    /// <summary>The code of <paramref name="type"/>, or <see langword="false"/> when safetensors has none for it.</summary>
    public static bool TryGetCode(torch.ScalarType type, out string code)
    {
        foreach (var entry in Table)
        {
            if (entry.Type == type)
            {
                code = entry.Code;
                return true;
            }
        }
        code = "";
        return false;
    }

    /// <summary>
    /// The element type and size of the code <paramref name="code"/> (case-sensitive, as the format has it), or
    /// <see langword="false"/> when it is not a code, or one that TorchSharp has no element type for (F8_E4M3, U16, ...).
    /// </summary>
    public static bool TryParse(string code, out torch.ScalarType type, out int elementSize)
    {
        foreach (var entry in Table)
        {
            if (entry.Code == code)
            {
                type = entry.Type;
                elementSize = entry.Size;
                return true;
            }
        }
        type = default;
        elementSize = 0;
        return false;
    }

    /// <summary>The code of <paramref name="type"/> where it has one, else the TorchSharp name; for messages.</summary>
    public static string Describe(torch.ScalarType type) => TryGetCode(type, out string code) ? code : type.ToString();

    /// <summary><c>[4, 3]</c>; <c>[]</c> for a scalar.</summary>
    internal static string FormatShape(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";
}
