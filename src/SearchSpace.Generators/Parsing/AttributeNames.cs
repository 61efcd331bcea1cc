namespace SearchSpaceDsl.Generators.Parsing;

/// <summary>The metadata names of the DSL's attributes in SearchSpace.Runtime.</summary>
internal static class AttributeNames
{
    public const string SearchSpace = "SearchSpaceDsl.SearchSpaceAttribute";
    public const string Choice = "SearchSpaceDsl.ChoiceAttribute";
    public const string PerLayer = "SearchSpaceDsl.PerLayerAttribute";
    public const string Constraint = "SearchSpaceDsl.ConstraintAttribute";
}
