using System.Text.Json;
using System.Text.Json.Serialization;

namespace TinyGpt.Pipeline;

/// <summary>
/// The JSON sidecar of a saved model (<c>name.json</c> beside <c>name.safetensors</c>): what is needed to rebuild it
/// (architecture, vocabulary) and what was measured.
/// </summary>
/// <param name="Name">The model's name in the run.</param>
/// <param name="Architecture">The architecture's canonical text (<c>TinyGptArchitecture.Parse</c>).</param>
/// <param name="Parameters">Its parameter count.</param>
/// <param name="Vocabulary">The characters of token ids 0, 1, … (<see cref="SearchSpaceDsl.Data.CharacterVocabulary.Characters"/>).</param>
/// <param name="ValidationLoss">Validation loss (nats per character), when measured.</param>
/// <param name="Perplexity">Validation perplexity, when measured.</param>
/// <param name="LatencyMs">Median latency of one forward of the latency batch, when measured.</param>
/// <param name="Source">Where the weights come from (dense training, supernet extraction, pruning).</param>
public sealed record ModelCard(
    string Name,
    string Architecture,
    long Parameters,
    string Vocabulary,
    double? ValidationLoss,
    double? Perplexity,
    double? LatencyMs,
    string Source)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The sidecar path of a model file.</summary>
    public static string PathFor(string modelPath) => Path.ChangeExtension(modelPath, ".json");

    /// <summary>The parsed architecture.</summary>
    public TinyGptArchitecture ParseArchitecture() => TinyGptArchitecture.Parse(Architecture);

    /// <summary>Writes the card beside <paramref name="modelPath"/>.</summary>
    public void Save(string modelPath) => File.WriteAllText(PathFor(modelPath), JsonSerializer.Serialize(this, Json));

    /// <summary>Reads the card beside <paramref name="modelPath"/>.</summary>
    /// <exception cref="PipelineException">It is missing, unreadable or not a model card.</exception>
    public static ModelCard Load(string modelPath)
    {
        var path = PathFor(modelPath);
        RunFolder.RequireReadable(path, "every saved model has a JSON sidecar");
        try
        {
            return JsonSerializer.Deserialize<ModelCard>(File.ReadAllText(path), Json)
                ?? throw new PipelineException($"cannot read '{path}': empty model card");
        }
        catch (JsonException e)
        {
            throw new PipelineException($"cannot read '{path}': not a model card ({e.Message})", e);
        }
    }
}
