namespace SearchSpaceDsl;

/// <summary>
/// The canonical string form of architectures: <c>EmbedDim=768, Layers=2, Heads=[4, 8], Bias=true</c>, dimensions
/// in declaration order, values culture-invariant, per-layer values in brackets for the active layers only.
/// </summary>
public static class ArchitectureText
{
    /// <summary>Joins the <c>Name=value</c> parts of an architecture; generated <c>ToString()</c> methods call this.</summary>
    public static string Join(params ReadOnlySpan<string> parts) => string.Join(", ", parts!);

    /// <summary>The genes of a canonical string, with one error per unknown, missing, repeated or invalid value.</summary>
    internal static int[] ParseGenes(SearchSpaceDescription description, string text, out List<string> errors)
    {
        errors = [];
        var values = new Dictionary<Dimension, string>();
        foreach (string part in SplitTopLevel(text))
        {
            int equals = part.IndexOf('=');
            if (equals < 0)
                errors.Add($"'{part.Trim()}' is not of the form Name=value.");
            else
                AddValue(description, values, part[..equals].Trim(), part[(equals + 1)..].Trim(), errors);
        }
        return GenesOf(description, values, errors);
    }

    /// <summary>Records the text of one named value; reports unknown and repeated names.</summary>
    internal static void AddValue(SearchSpaceDescription description, Dictionary<Dimension, string> values, string name, string value, List<string> errors)
    {
        var dimension = description.Dimensions.FirstOrDefault(d => d.Name == name);
        if (dimension is null)
            errors.Add($"'{name}' is not a dimension; expected {string.Join(", ", description.Dimensions.Select(d => d.Name))}.");
        else if (!values.TryAdd(dimension, value))
            errors.Add($"{name}: is given twice.");
    }

    /// <summary>The genes of the value texts of every dimension (per-layer values as <c>[v0, v1]</c>).</summary>
    internal static int[] GenesOf(SearchSpaceDescription description, Dictionary<Dimension, string> values, List<string> errors)
    {
        var genes = new int[description.GeneCount];
        foreach (var d in description.Dimensions.Where(d => !values.ContainsKey(d)))
            errors.Add($"{d.Name}: is missing.");
        foreach (var d in description.ScalarDimensions)
        {
            if (values.TryGetValue(d, out string? value))
                genes[d.GeneOffset] = ParseChoice(d, d.Name, value, errors);
        }
        foreach (var d in description.PerLayerDimensions)
        {
            // A missing or invalid depth is reported on its own; the layers cannot be checked against it.
            if (values.TryGetValue(d, out string? value) && values.TryGetValue(d.Depth!, out string? depth) && d.Depth!.ParseChoice(depth) >= 0)
                ParseLayers(d, value, d.Depth.DepthAt(genes[d.Depth.GeneOffset]), genes, errors);
        }
        return genes;
    }

    private static void ParseLayers(Dimension d, string value, int depth, int[] genes, List<string> errors)
    {
        if (value.Length < 2 || value[0] != '[' || value[^1] != ']')
        {
            errors.Add($"{d.Name}: '{value}' is not a bracketed list such as [{d.FormatChoice(0)}, {d.FormatChoice(0)}].");
            return;
        }
        string inner = value[1..^1].Trim();
        string[] items = inner.Length == 0 ? [] : inner.Split(',');
        if (items.Length != depth)
        {
            errors.Add($"{d.Name}: has {items.Length} values, but {d.PerLayerOf} is {depth}.");
            return;
        }
        for (int layer = 0; layer < items.Length; layer++)
            genes[d.GeneOffset + layer] = ParseChoice(d, $"{d.Name}[{layer}]", items[layer], errors);
    }

    private static int ParseChoice(Dimension d, string position, string value, List<string> errors)
    {
        int gene = d.ParseChoice(value);
        if (gene >= 0)
            return gene;
        errors.Add($"{position}: '{value.Trim()}' is not one of the choices {d.ChoicesText}.");
        return 0;
    }

    // Splits at commas that are not inside brackets.
    private static IEnumerable<string> SplitTopLevel(string text)
    {
        int depth = 0, start = 0;
        for (int i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || (text[i] == ',' && depth == 0))
            {
                if (text.AsSpan(start, i - start).Trim().Length > 0)
                    yield return text[start..i];
                start = i + 1;
            }
            else if (text[i] == '[')
                depth++;
            else if (text[i] == ']')
                depth--;
        }
    }
}
