using SearchSpaceDsl.Data;
using TorchSharp;

namespace SearchSpaceDsl.Tests.Data;

public sealed class TextCorpusTests
{
    private static readonly string MobyDick = Path.Combine(AppContext.BaseDirectory, "data", "moby-dick.txt");

    [Fact]
    public void Moby_dick_has_89_characters_and_a_90_10_split()
    {
        var corpus = TextCorpus.Load(MobyDick);
        var text = File.ReadAllText(MobyDick);
        Assert.Equal(89, corpus.Vocabulary.Size);
        Assert.Equal(text.Length, corpus.Train.Length + corpus.Validation.Length);
        Assert.Equal(Math.Round(text.Length * 0.9), corpus.Train.Length);
        Assert.Equal(text, corpus.Vocabulary.Decode(corpus.Train) + corpus.Vocabulary.Decode(corpus.Validation));
    }

    [Fact]
    public void Vocabulary_ids_follow_character_order_and_round_trip()
    {
        var vocabulary = new CharacterVocabulary("the cat sat");
        Assert.Equal(" acehst", vocabulary.Characters);
        Assert.Equal([6, 4, 3, 0, 2, 1, 6], vocabulary.Encode("the cat"));
        Assert.Equal("the cat", vocabulary.Decode(vocabulary.Encode("the cat")));
    }

    [Fact]
    public void Unknown_characters_and_ids_are_named()
    {
        var vocabulary = new CharacterVocabulary("abc");
        Assert.Contains("'z' at position 2", Assert.Throws<ArgumentException>(() => vocabulary.Encode("abz")).Message);
        Assert.Contains("Token id 3 at position 1", Assert.Throws<ArgumentOutOfRangeException>(() => vocabulary.Decode([0, 3])).Message);
        Assert.Contains("does not exist", Assert.Throws<FileNotFoundException>(() => TextCorpus.Load("no/such/file.txt")).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => TextCorpus.FromText("abcdefgh", 1.0));
    }

    [Fact]
    public void Sampled_batches_hold_windows_and_their_next_tokens()
    {
        int[] tokens = [.. Enumerable.Range(0, 100)];
        var (inputs, targets) = TokenBatches.Sample(tokens, batch: 4, context: 8, new Random(3));
        Assert.Equal([4L, 8L], inputs.shape);
        Assert.Equal(torch.ScalarType.Int64, inputs.dtype);
        var x = inputs.data<long>().ToArray();
        var y = targets.data<long>().ToArray();
        for (int b = 0; b < 4; b++)
        {
            for (int t = 0; t < 8; t++)
            {
                Assert.Equal(x[b * 8] + t, x[b * 8 + t]); // a contiguous window
                Assert.Equal(x[b * 8 + t] + 1, y[b * 8 + t]); // targets shifted by one
            }
        }
    }

    [Fact]
    public void Sequential_batches_cover_the_sequence_once_in_order()
    {
        int[] tokens = [.. Enumerable.Range(0, 50)];
        var windows = TokenBatches.Sequential(tokens, batch: 2, context: 7).SelectMany(b => Split(b.Inputs)).ToList();
        Assert.Equal(7, windows.Count); // (50 - 1) / 7 windows; the incomplete tail is left out
        Assert.Equal(Enumerable.Range(0, 49), windows.SelectMany(w => w).Select(v => (int)v));
        Assert.Single(TokenBatches.Sequential(tokens, batch: 2, context: 7, maxBatches: 1));
    }

    private static IEnumerable<long[]> Split(torch.Tensor inputs)
    {
        var values = inputs.data<long>().ToArray();
        int context = (int)inputs.shape[1];
        for (int row = 0; row < inputs.shape[0]; row++)
            yield return values[(row * context)..((row + 1) * context)];
    }
}
