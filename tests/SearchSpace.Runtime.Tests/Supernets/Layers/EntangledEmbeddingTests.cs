using SearchSpaceDsl.Supernets;
using TorchSharp;
using TorchSharp.Modules;
using static SearchSpaceDsl.Tests.Supernets.EntangledLayerAssert;
using static TorchSharp.torch;

namespace SearchSpaceDsl.Tests.Supernets;

public class EntangledEmbeddingTests
{
    private const int Vocab = 23;
    private const int DimMax = 41;
    private const string Name = "wte";

    /// <summary>The largest, the smallest, then random widths.</summary>
    private static IEnumerable<int> Widths(int seed) => EntangledLayerAssert.Widths(seed, DimMax);

    private static Tensor Ids(Generator generator, params long[] shape) =>
        randint(0, Vocab, shape, dtype: ScalarType.Int64, generator: generator);

    [Fact]
    public void Supernet_forward_equals_extracted_forward()
    {
        using var layer = new EntangledEmbedding(Name, Vocab, DimMax);
        var generator = new Generator(7);

        foreach (var dim in Widths(seed: 1))
        {
            using var scope = NewDisposeScope();
            layer.SetActive(dim);
            var ids = dim % 3 == 0 ? Ids(generator, 9) : Ids(generator, 2, 5);

            var expected = layer.forward(ids);
            using var extracted = layer.Extract();
            var actual = extracted.forward(ids);

            Assert.Equal(ids.shape.Append(dim).ToArray(), expected.shape);
            Close(expected, actual, 0, $"d={dim}"); // a gather: identical values
        }
    }

    [Fact]
    public void Forward_reads_the_column_prefix_of_the_table()
    {
        using var scope = NewDisposeScope();
        using var layer = new EntangledEmbedding(Name, Vocab, DimMax);
        layer.SetActive(13);
        var ids = tensor(new long[] { 4, 0, 22, 4 });

        var rows = layer.forward(ids);

        Close(layer.Weight.index_select(0, ids).narrow(1, 0, 13), rows, 0, "rows");
    }

    [Fact]
    public void Active_parameter_count_equals_the_extracted_module_and_the_formula()
    {
        using var layer = new EntangledEmbedding(Name, Vocab, DimMax);
        Assert.Equal((long)Vocab * DimMax, layer.ActiveParameterCount);

        foreach (var dim in Widths(seed: 2))
        {
            layer.SetActive(dim);
            using var extracted = layer.Extract();

            Assert.Equal((long)Vocab * dim, layer.ActiveParameterCount);
            Assert.Equal(ParameterCount(extracted), layer.ActiveParameterCount);
            using var scope = NewDisposeScope();
            Assert.Equal(new long[] { Vocab, dim }, extracted.weight!.shape);
            Assert.True(extracted.weight.is_contiguous());
            Assert.True(extracted.weight.requires_grad);
        }
    }

    [Fact]
    public void Gradients_land_in_the_active_columns_only()
    {
        using var layer = new EntangledEmbedding(Name, Vocab, DimMax);
        var generator = new Generator(5);

        foreach (var dim in Widths(seed: 3))
        {
            using var scope = NewDisposeScope();
            layer.zero_grad();
            layer.SetActive(dim);

            ProjectionLoss(layer.forward(Ids(generator, 3, 7)), generator).backward();

            GradientOnlyInPrefix(layer.Weight, $"d={dim}", Vocab, dim);
        }
    }

    [Fact]
    public void ActiveWeight_is_a_view_of_the_column_prefix_for_a_tied_head()
    {
        using var scope = NewDisposeScope();
        using var layer = new EntangledEmbedding(Name, Vocab, DimMax);
        layer.SetActive(17);
        var generator = new Generator(3);

        var head = layer.ActiveWeight;
        Assert.Equal(new long[] { Vocab, 17 }, head.shape);
        Close(layer.Weight.narrow(1, 0, 17), head, 0, "values");

        // A tied output head: logits = h · E[:, :d]ᵀ. Its gradient lands in the same columns of the one table.
        var hidden = randn([4, 17], generator: generator);
        ProjectionLoss(nn.functional.linear(hidden, head), generator).backward();
        GradientOnlyInPrefix(layer.Weight, "tied head", Vocab, 17);

        Perturb(layer.Weight, 1.0); // shares storage: the view sees the change
        Close(layer.Weight.narrow(1, 0, 17), head, 0, "after a change of the table");
    }

    [Fact]
    public void SetActive_allocates_nothing()
    {
        using var layer = new EntangledEmbedding(Name, Vocab, DimMax);
        var widths = Widths(seed: 4).ToArray();

        AllocatesNothing(i => layer.SetActive(widths[i % widths.Length]));
    }

    [Fact]
    public void Extracted_embedding_shares_no_storage_with_the_supernet()
    {
        using var scope = NewDisposeScope();
        using var layer = new EntangledEmbedding(Name, Vocab, DimMax);
        var ids = Ids(new Generator(9), 2, 6);

        foreach (var dim in new[] { 19, DimMax })
        {
            layer.SetActive(dim);
            using var extracted = layer.Extract();
            SharesNoStorage(layer, extracted, ids, amount: 1.0, minimumChange: 0.5);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(DimMax + 1)]
    public void Out_of_range_widths_throw_naming_the_layer(int dim)
    {
        using var layer = new EntangledEmbedding(Name, Vocab, DimMax);
        layer.SetActive(5);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => layer.SetActive(dim));

        Assert.Equal("dim", error.ParamName);
        NamesLayerAndRange(error, Name, DimMax);
        Assert.Equal(5, layer.ActiveDim);
    }

    [Fact]
    public void Extraction_keeps_dtype_and_survives_the_dispose_scope_it_was_made_in()
    {
        EntangledEmbedding layer;
        Embedding extracted;
        using (NewDisposeScope())
        {
            layer = new EntangledEmbedding(Name, Vocab, DimMax, dtype: ScalarType.Float64);
            layer.SetActive(6);
            extracted = layer.Extract();
        }

        using (layer)
        using (extracted)
        using (NewDisposeScope())
        {
            var ids = Ids(new Generator(1), 8);
            Assert.Equal(ScalarType.Float64, extracted.weight!.dtype);
            Close(layer.forward(ids), extracted.forward(ids), 0, "float64");
            Assert.Equal(["weight"], layer.state_dict().Keys);
            Assert.Equal(["weight"], extracted.state_dict().Keys);
        }
    }
}
