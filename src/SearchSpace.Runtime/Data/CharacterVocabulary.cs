using System.Collections.Frozen;

namespace SearchSpaceDsl.Data;

/// <summary>The characters of a text, each a token id: the vocabulary of a character-level language model.</summary>
public sealed class CharacterVocabulary
{
    private readonly string _characters;
    private readonly FrozenDictionary<char, int> _ids;

    /// <summary>The distinct characters of <paramref name="text"/>, in ordinal order (so the ids are stable).</summary>
    public CharacterVocabulary(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var distinct = text.Distinct().Order().ToArray();
        if (distinct.Length == 0)
            throw new ArgumentException("A vocabulary needs at least one character; the text is empty.", nameof(text));
        _characters = new string(distinct);
        _ids = distinct.Select((c, id) => (c, id)).ToFrozenDictionary(p => p.c, p => p.id);
    }

    /// <summary>The number of tokens.</summary>
    public int Size => _characters.Length;

    /// <summary>The characters in id order.</summary>
    public string Characters => _characters;

    /// <summary>The token ids of a text.</summary>
    /// <exception cref="ArgumentException">A character outside the vocabulary, named with its position.</exception>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new int[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            if (!_ids.TryGetValue(text[i], out ids[i]))
                throw new ArgumentException($"Character U+{(int)text[i]:X4} '{text[i]}' at position {i} is not in the vocabulary of {Size} characters.", nameof(text));
        }
        return ids;
    }

    /// <summary>The text of token ids.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id outside [0, <see cref="Size"/>).</exception>
    public string Decode(ReadOnlySpan<int> ids)
    {
        var text = new char[ids.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            if ((uint)ids[i] >= (uint)Size)
                throw new ArgumentOutOfRangeException(nameof(ids), $"Token id {ids[i]} at position {i} is outside the vocabulary [0, {Size}).");
            text[i] = _characters[ids[i]];
        }
        return new string(text);
    }
}
