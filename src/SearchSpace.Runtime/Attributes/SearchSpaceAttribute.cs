namespace SearchSpaceDsl;

/// <summary>
/// Marks a partial class (or record class) as a typed architecture of a search space. The source generator
/// completes its <see cref="ChoiceAttribute"/> properties and emits value equality, a canonical string form,
/// JSON conversion and the <see cref="SearchSpace{TArch}"/> that samples, enumerates, mutates and encodes it.
/// </summary>
/// <example>
/// <code>
/// [SearchSpace]
/// public sealed partial class GptSmall
/// {
///     [Choice(192, 384, 768)] public partial int EmbedDim { get; }
///     [Choice(10, 11, 12)] public partial int Layers { get; }
///     [Choice(4, 8, 12), PerLayer(nameof(Layers))] public partial ImmutableArray&lt;int&gt; Heads { get; }
///     [Choice(true, false)] public partial bool Bias { get; }
/// }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class SearchSpaceAttribute : Attribute;
