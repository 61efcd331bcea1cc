using SearchSpaceDsl.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyGpt.Pipeline;

/// <summary>Samples text from a saved model (the dense pretrained model or any extracted one).</summary>
public static class TextGeneration
{
    /// <summary>
    /// Continues <paramref name="prompt"/> by <paramref name="length"/> characters, sampling each from the model's
    /// distribution at <paramref name="temperature"/> (0: greedy), over the last <see cref="TinyGptModel.Context"/> characters.
    /// </summary>
    /// <exception cref="PipelineException">The prompt has a character the model's vocabulary lacks, or a setting is out of range.</exception>
    public static string Generate(string modelPath, string prompt, int length, double temperature, int seed)
    {
        if (length < 0)
            throw new PipelineException($"--length must not be negative, got {length}.");
        if (!(temperature >= 0) || double.IsInfinity(temperature))
            throw new PipelineException($"--temperature must be 0 or more, got {temperature}.");
        var (model, card) = ModelFiles.Load(modelPath);
        using var _ = model;
        model.eval();
        var vocabulary = new CharacterVocabulary(card.Vocabulary);
        if (prompt.Length == 0)
            prompt = "\n";
        var unknown = prompt.FirstOrDefault(c => !card.Vocabulary.Contains(c));
        if (unknown != default)
            throw new PipelineException($"the prompt's character '{unknown}' is not in the model's vocabulary.");
        var tokens = new List<int>(vocabulary.Encode(prompt));
        var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        for (var i = 0; i < length; i++)
        {
            using var scope = NewDisposeScope();
            var window = tokens.Skip(Math.Max(0, tokens.Count - TinyGptModel.Context)).Select(t => (long)t).ToArray();
            var logits = model.forward(tensor(window, [1, window.Length], int64))[0, -1];
            int next;
            if (temperature == 0)
            {
                next = (int)logits.argmax().ToInt64();
            }
            else
            {
                var probabilities = nn.functional.softmax(logits / temperature, 0);
                next = (int)multinomial(probabilities, 1, generator: generator).ToInt64();
            }
            tokens.Add(next);
        }
        return vocabulary.Decode(tokens.ToArray());
    }
}
