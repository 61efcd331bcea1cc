using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SearchSpaceDsl;

/// <summary>
/// JSON for generated architectures: an object with one property per dimension in declaration order, numbers and
/// booleans as JSON values, enums as member names, per-layer choices as arrays of the active layers. Reading
/// checks every value against the space and its constraints.
/// </summary>
/// <typeparam name="TArch">The generated architecture type.</typeparam>
public sealed class ArchitectureJsonConverter<TArch> : JsonConverter<TArch>
    where TArch : class, IArchitecture<TArch>
{
    /// <inheritdoc />
    public override TArch Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var space = TArch.Space;
        var description = space.Description;
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException($"An architecture of {description.Name} is a JSON object, not {reader.TokenType}.");
        var values = new Dictionary<Dimension, string>();
        var errors = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string name = reader.GetString()!;
            reader.Read();
            ArchitectureText.AddValue(description, values, name, ReadValueText(ref reader, name), errors);
        }
        var genes = ArchitectureText.GenesOf(description, values, errors);
        if (errors.Count == 0)
        {
            var architecture = TArch.FromGenes(genes);
            if (space.FirstViolation(architecture) is not { } violated)
                return architecture;
            errors.Add(violated.Describe());
        }
        throw new JsonException($"Not an architecture of {description.Name}: {string.Join(" ", errors)}");
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, TArch value, JsonSerializerOptions options)
    {
        var description = TArch.Space.Description;
        var genes = new int[description.GeneCount];
        var errors = new List<string>();
        if (!value.TryWriteGenes(genes, errors))
            throw new JsonException($"Cannot write an invalid architecture of {description.Name}: {string.Join(" ", errors)}");
        writer.WriteStartObject();
        foreach (var d in description.Dimensions)
        {
            writer.WritePropertyName(d.Name);
            if (!d.IsPerLayer)
            {
                WriteChoice(writer, d, genes[d.GeneOffset]);
                continue;
            }
            writer.WriteStartArray();
            int active = d.Depth!.DepthAt(genes[d.Depth.GeneOffset]);
            for (int layer = 0; layer < active; layer++)
                WriteChoice(writer, d, genes[d.GeneOffset + layer]);
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    private static void WriteChoice(Utf8JsonWriter writer, Dimension d, int gene)
    {
        switch (d.Choices[gene])
        {
            case int i: writer.WriteNumberValue(i); break;
            case double x: writer.WriteNumberValue(x); break;
            case bool b: writer.WriteBooleanValue(b); break;
            default: writer.WriteStringValue(d.FormatChoice(gene)); break;
        }
    }

    // The canonical text of a JSON value, so that parsing and checking are shared with the string form.
    private static string ReadValueText(ref Utf8JsonReader reader, string name)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return Encoding.UTF8.GetString(reader.ValueSpan);
            case JsonTokenType.True:
            case JsonTokenType.False:
            case JsonTokenType.String:
                return reader.TokenType == JsonTokenType.String ? reader.GetString()! : reader.GetBoolean() ? "true" : "false";
            case JsonTokenType.StartArray:
                var items = new List<string>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    items.Add(ReadValueText(ref reader, name));
                return "[" + string.Join(", ", items) + "]";
            default:
                throw new JsonException($"'{name}' holds a JSON {reader.TokenType}; expected a number, boolean, string or array.");
        }
    }
}
