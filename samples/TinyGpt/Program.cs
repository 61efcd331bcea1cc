using System.Globalization;
using SearchSpaceDsl;
using SearchSpaceDsl.Zoo;
using TinyGpt;

// For now the main job shows the generated search space; later issues grow it into the compression pipeline.
int seed = args.Length > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out int s) ? s : 42;
var space = TinyGptArchitecture.Space;
var random = new Random(seed);

Console.WriteLine(space.Description);
Console.WriteLine();
Console.WriteLine($"Effective architectures: {space.Cardinality:N0} ({space.Description.UnconstrainedCardinality:N0} before the constraint)");
Console.WriteLine($"Largest:  {space.Largest} ({TinyGptModel.CountParameters(space.Largest):N0} parameters)");
Console.WriteLine($"Smallest: {space.Smallest} ({TinyGptModel.CountParameters(space.Smallest):N0} parameters)");
Console.WriteLine();
Console.WriteLine($"Five uniform samples (seed {seed}) with their ordinal encodings [{string.Join(", ", space.Description.FeatureNames(EncodingKind.Ordinal))}]:");
for (int i = 0; i < 5; i++)
{
    var architecture = space.Sample(random);
    Console.WriteLine($"  {architecture}");
    Console.WriteLine($"    -> [{string.Join(", ", space.Encode(architecture))}]");
}
Console.WriteLine();
Console.WriteLine($"HW-GPT-Bench GPT-2 spaces: S {HwGptBenchS.Space.Cardinality:N0}, M {HwGptBenchM.Space.Cardinality:N0}, L {HwGptBenchL.Space.Cardinality:N0} architectures.");
