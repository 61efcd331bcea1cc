using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SearchSpaceDsl.Generators.Diagnostics;
using SearchSpaceDsl.Generators.Emit;
using SearchSpaceDsl.Generators.Parsing;

namespace SearchSpaceDsl.Generators;

/// <summary>
/// Expands every <c>[SearchSpace]</c> partial type into a typed architecture with its search space, and every
/// <c>[Supernet]</c> model class into a weight-entangled supernet. Two pipelines of the same shape: attribute lookup →
/// parser (<see cref="SpaceParser"/>, <see cref="SupernetParser"/>: symbols to an equatable model plus diagnostics) →
/// emitter (<see cref="SpaceEmitter"/>, <see cref="SupernetEmitter"/>: model to source). Only the parse steps touch
/// symbols, so unrelated edits hit the cache.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class SearchSpaceGenerator : IIncrementalGenerator
{
    /// <summary>The tracking name of the parse step, for caching tests.</summary>
    public const string ParseStep = "SearchSpaceDsl.Parse";

    /// <summary>The tracking name of the supernet parse step, for caching tests.</summary>
    public const string ParseSupernetStep = "SearchSpaceDsl.ParseSupernet";

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var spaces = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AttributeNames.SearchSpace,
                static (node, _) => node is TypeDeclarationSyntax,
                static (context, cancellation) => SpaceParser.Parse(context, cancellation))
            .Where(static result => result is not null)
            .WithTrackingName(ParseStep);

        context.RegisterSourceOutput(spaces, static (output, result) =>
        {
            foreach (var diagnostic in result!.Diagnostics)
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            if (result.Model is not { } model)
                return;
            try
            {
                output.AddSource(model.HintName, SpaceEmitter.Emit(model));
            }
            catch (System.Exception exception) when (exception is not System.OperationCanceledException)
            {
                output.ReportDiagnostic(Diagnostic.Create(Descriptors.InternalError, null, model.TypeName, exception.Message));
            }
        });

        var supernets = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AttributeNames.Supernet,
                static (node, _) => node is TypeDeclarationSyntax,
                static (context, cancellation) => SupernetParser.Parse(context, cancellation))
            .Where(static result => result is not null)
            .WithTrackingName(ParseSupernetStep);

        context.RegisterSourceOutput(supernets, static (output, result) =>
        {
            foreach (var diagnostic in result!.Diagnostics)
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            if (result.Model is not { } model)
                return;
            try
            {
                output.AddSource(model.HintName, SupernetEmitter.Emit(model));
            }
            catch (System.Exception exception) when (exception is not System.OperationCanceledException)
            {
                output.ReportDiagnostic(Diagnostic.Create(Descriptors.InternalError, null, model.TypeName, exception.Message));
            }
        });
    }
}
