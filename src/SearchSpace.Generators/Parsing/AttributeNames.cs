namespace SearchSpaceDsl.Generators.Parsing;

/// <summary>The metadata names of the DSL's attributes in SearchSpace.Runtime.</summary>
internal static class AttributeNames
{
    public const string SearchSpace = "SearchSpaceDsl.SearchSpaceAttribute";
    public const string Choice = "SearchSpaceDsl.ChoiceAttribute";
    public const string PerLayer = "SearchSpaceDsl.PerLayerAttribute";
    public const string Constraint = "SearchSpaceDsl.ConstraintAttribute";
    public const string Supernet = "SearchSpaceDsl.SupernetAttribute";
    public const string Embedding = "SearchSpaceDsl.EmbeddingAttribute";
    public const string Linear = "SearchSpaceDsl.LinearAttribute";
    public const string LayerNorm = "SearchSpaceDsl.LayerNormAttribute";
    public const string RmsNorm = "SearchSpaceDsl.RmsNormAttribute";
    public const string Mlp = "SearchSpaceDsl.MlpAttribute";
    public const string SelfAttention = "SearchSpaceDsl.SelfAttentionAttribute";
}
