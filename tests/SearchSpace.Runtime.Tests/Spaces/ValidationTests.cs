using System.Text.Json;

namespace SearchSpaceDsl.Tests.Spaces;

public sealed class ValidationTests
{
    [Fact]
    public void Validate_names_every_wrong_dimension()
    {
        var arch = new TinySpace(width: 20, depth: 2, heads: [1, 3], ratio: [0.5], bias: true, act: Activation.Swish);
        var errors = TinySpace.Space.Validate(arch);
        Assert.Equal(
        [
            "Width: 20 is not one of the choices {16, 32}.",
            "Heads[1]: 3 is not one of the choices {1, 2, 4}.",
            "Ratio: has 1 values, but Depth is 2; give exactly one value per active layer.",
            "Act: Swish is not one of the choices {Gelu, Relu}.",
        ], errors);
        Assert.False(TinySpace.Space.IsValid(arch));
    }

    [Fact]
    public void Validate_reports_unset_per_layer_values_and_invalid_depths()
    {
        var arch = new TinySpace(16, depth: 5, heads: default, ratio: [0.5, 0.5, 0.5, 0.5, 0.5], bias: false, act: Activation.Gelu);
        var errors = TinySpace.Space.Validate(arch);
        Assert.Contains("Depth: 5 is not one of the choices {0, 1, 2}.", errors);
        Assert.Contains(errors, e => e.StartsWith("Heads: is not set", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_names_a_violated_constraint()
    {
        var arch = new ConstrainedSpace(32, 2, [4, 3], bias: true);
        Assert.Equal(["constraint HeadsDivideWidth: every layer's heads must divide the width"], ConstrainedSpace.Space.Validate(arch));
    }

    [Fact]
    public void Constrained_cardinality_counts_only_members_that_satisfy_the_constraint()
    {
        Assert.Equal(48, ConstrainedSpace.Space.Description.UnconstrainedCardinality);
        Assert.Equal(36, ConstrainedSpace.Space.Cardinality);
    }

    [Fact]
    public void Operations_on_a_non_member_say_why()
    {
        var arch = new ConstrainedSpace(32, 2, [4, 3], bias: true);
        var error = Assert.Throws<ArgumentException>(() => ConstrainedSpace.Space.Mutate(arch, new Random(1)));
        Assert.Contains("HeadsDivideWidth", error.Message);
        Assert.Throws<ArgumentException>(() => ConstrainedSpace.Space.Encode(arch));
        Assert.Throws<ArgumentException>(() => ConstrainedSpace.Space.Crossover(arch, ConstrainedSpace.Space.Largest, new Random(1)));
    }

    [Theory]
    [InlineData("Width=16, Depth=1, Heads=[2], Ratio=[0.5], Bias=true", "Act: is missing.")]
    [InlineData("Width=17, Depth=0, Heads=[], Ratio=[], Bias=true, Act=Gelu", "Width: '17' is not one of the choices {16, 32}.")]
    [InlineData("Width=16, Depth=1, Heads=[2, 2], Ratio=[0.5], Bias=true, Act=Gelu", "Heads: has 2 values, but Depth is 1.")]
    [InlineData("Width=16, Depth=1, Heads=2, Ratio=[0.5], Bias=true, Act=Gelu", "Heads: '2' is not a bracketed list")]
    [InlineData("Width=16, Depth=0, Heads=[], Ratio=[], Bias=true, Act=Gelu, Size=3", "'Size' is not a dimension")]
    [InlineData("Width=16, Width=32, Depth=0, Heads=[], Ratio=[], Bias=true, Act=Gelu", "Width: is given twice.")]
    [InlineData("Width=16, Depth=0, Heads=[], Ratio=[], Bias=yes, Act=Gelu", "Bias: 'yes' is not one of the choices {false, true}.")]
    public void Parse_errors_name_the_dimension(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => TinySpace.Parse(text));
        Assert.Contains(expected, error.Message);
        Assert.False(TinySpace.TryParse(text, out _));
    }

    [Fact]
    public void Parse_rejects_a_member_that_violates_a_constraint()
    {
        var error = Assert.Throws<FormatException>(() => ConstrainedSpace.Parse("Width=32, Layers=1, Heads=[3], Bias=true"));
        Assert.Contains("HeadsDivideWidth", error.Message);
    }

    [Fact]
    public void Canonical_string_and_json_are_readable_and_culture_invariant()
    {
        var arch = new TinySpace(32, 2, [4, 1], [1.0, 0.5], false, Activation.Relu);
        Assert.Equal("Width=32, Depth=2, Heads=[4, 1], Ratio=[1, 0.5], Bias=false, Act=Relu", arch.ToString());
        Assert.Equal("""{"Width":32,"Depth":2,"Heads":[4,1],"Ratio":[1,0.5],"Bias":false,"Act":"Relu"}""", JsonSerializer.Serialize(arch));
    }

    [Theory]
    [InlineData("""{"Width":20,"Depth":0,"Heads":[],"Ratio":[],"Bias":false,"Act":"Relu"}""", "Width: '20' is not one of the choices")]
    [InlineData("""{"Width":16,"Depth":1,"Heads":[],"Ratio":[0.5],"Bias":false,"Act":"Relu"}""", "Heads: has 0 values, but Depth is 1.")]
    [InlineData("""{"Width":16,"Depth":0,"Heads":[],"Ratio":[],"Bias":false}""", "Act: is missing.")]
    [InlineData("""[1, 2]""", "is a JSON object")]
    [InlineData("""{"Width":{"x":1}}""", "'Width' holds a JSON StartObject")]
    public void Json_errors_name_the_problem(string json, string expected)
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<TinySpace>(json));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Writing_an_invalid_architecture_to_json_fails_clearly()
    {
        var arch = new TinySpace(20, 0, [], [], false, Activation.Relu);
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Serialize(arch));
        Assert.Contains("Width: 20 is not one of the choices", error.Message);
    }

    [Fact]
    public void Decode_rejects_wrong_lengths_and_NaN()
    {
        int length = TinySpace.Space.Description.EncodingLength(EncodingKind.Ordinal);
        Assert.Contains("encodes to", Assert.Throws<ArgumentException>(() => TinySpace.Space.Decode(new double[length + 1])).Message);
        var nan = new double[length];
        nan[2] = double.NaN;
        Assert.Contains("Position 2", Assert.Throws<ArgumentException>(() => TinySpace.Space.Decode(nan)).Message);
    }

    [Fact]
    public void Record_spaces_support_with_expressions_and_value_equality()
    {
        var arch = new Nested.RecordSpace(2, 1, [8, 16], [Activation.Swish]);
        var changed = arch with { EncoderWidth = [16, 16] };
        Assert.True(Nested.RecordSpace.Space.IsValid(changed));
        Assert.NotEqual(arch, changed);
        Assert.Equal(arch, changed with { EncoderWidth = [8, 16] });
    }
}
