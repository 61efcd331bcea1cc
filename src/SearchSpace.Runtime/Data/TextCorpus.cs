namespace SearchSpaceDsl.Data;

/// <summary>
/// A text as token ids, split into a training part and a validation part (the last fraction of the text, so no
/// window of one overlaps the other).
/// </summary>
public sealed class TextCorpus
{
    private TextCorpus(CharacterVocabulary vocabulary, int[] train, int[] validation)
    {
        Vocabulary = vocabulary;
        Train = train;
        Validation = validation;
    }

    /// <summary>The characters of the whole text.</summary>
    public CharacterVocabulary Vocabulary { get; }

    /// <summary>The first part of the text, for training.</summary>
    public int[] Train { get; }

    /// <summary>The last part of the text, for validation.</summary>
    public int[] Validation { get; }

    /// <summary>Reads a UTF-8 text file and splits it.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static TextCorpus Load(string path, double validationFraction = 0.1)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"The text corpus '{Path.GetFullPath(path)}' does not exist.", path);
        return FromText(File.ReadAllText(path), validationFraction);
    }

    /// <summary>Tokenizes a text and keeps its last <paramref name="validationFraction"/> for validation.</summary>
    public static TextCorpus FromText(string text, double validationFraction = 0.1)
    {
        if (!(validationFraction > 0 && validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), $"The validation fraction must be in (0, 1), got {validationFraction}.");
        var vocabulary = new CharacterVocabulary(text);
        var ids = vocabulary.Encode(text);
        int split = (int)Math.Round(ids.Length * (1 - validationFraction));
        if (split < 2 || ids.Length - split < 2)
            throw new ArgumentException($"A text of {ids.Length} characters is too short to split {validationFraction:P0} off for validation.", nameof(text));
        return new TextCorpus(vocabulary, ids[..split], ids[split..]);
    }
}
