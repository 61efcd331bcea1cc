using SearchSpaceDsl.Checkpoints;

namespace TinyGpt.Pipeline;

/// <summary>Saves and loads TinyGpt models as safetensors with a <see cref="ModelCard"/> sidecar.</summary>
public static class ModelFiles
{
    /// <summary>Saves <paramref name="model"/>'s weights to <paramref name="path"/> and its card beside it.</summary>
    public static void Save(TinyGptModel model, string path, ModelCard card)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        ModuleCheckpoint.Save(model, path, new Dictionary<string, string>
        {
            ["architecture"] = card.Architecture,
            ["source"] = card.Source,
        });
        card.Save(path);
    }

    /// <summary>
    /// Rebuilds the model a card describes (a <see cref="TinyGptModel"/> whose capacity is the card's architecture)
    /// and loads its weights.
    /// </summary>
    /// <exception cref="PipelineException">A file is missing or unreadable, or the weights do not fit the architecture.</exception>
    public static (TinyGptModel Model, ModelCard Card) Load(string path)
    {
        RunFolder.RequireReadable(path);
        var card = ModelCard.Load(path);
        TinyGptArchitecture architecture;
        try
        {
            architecture = card.ParseArchitecture();
        }
        catch (FormatException e)
        {
            throw new PipelineException($"cannot read '{ModelCard.PathFor(path)}': bad architecture ({e.Message})", e);
        }
        var model = new TinyGptModel(architecture);
        try
        {
            ModuleCheckpoint.Load(model, path);
        }
        catch (Exception e) when (e is CheckpointException or IOException or InvalidDataException)
        {
            model.Dispose();
            throw new PipelineException($"cannot read '{path}': {FirstLine(e.Message)}", e);
        }
        model.Activate(architecture);
        return (model, card);
    }

    private static string FirstLine(string text) => text.Split('\n')[0].TrimEnd();
}
