using SearchSpaceDsl;
using SearchSpaceDsl.Search.Optimizers;

namespace TinyGpt.Pipeline;

/// <summary>The optimizers the pipeline can search with, by name.</summary>
public static class OptimizerFactory
{
    /// <summary>The accepted names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["nsga2", "random", "local", "rea", "morea", "linas", "parego"];

    /// <summary>Throws <see cref="ArgumentException"/> listing the names when <paramref name="name"/> is not one.</summary>
    public static void EnsureKnown(string name)
    {
        if (!Names.Contains(name, StringComparer.OrdinalIgnoreCase))
            throw new ArgumentException($"unknown optimizer '{name}'; choose one of {string.Join(", ", Names)}.");
    }

    /// <summary>Creates the optimizer <paramref name="name"/> over <paramref name="space"/>.</summary>
    public static IOptimizer<TinyGptArchitecture> Create(string name, ISearchSpace<TinyGptArchitecture> space, int seed, int population)
    {
        EnsureKnown(name);
        return name.ToLowerInvariant() switch
        {
            "nsga2" => new Nsga2<TinyGptArchitecture>(space, seed, Math.Max(2, population)),
            "random" => new RandomSearch<TinyGptArchitecture>(space, seed),
            "local" => new LocalSearch<TinyGptArchitecture>(space, seed),
            // Single-objective REA needs one number: perplexity plus parameters in units of the largest model (latency,
            // which tracks parameters, weighs 0). The study still keeps the whole front.
            "rea" => new RegularizedEvolution<TinyGptArchitecture>(space, seed, Math.Max(2, population), Math.Max(2, population / 4),
                [1.0, 1.0 / TinyGptModel.CountParameters(TinyGptArchitecture.Space.Largest), 0.0]),
            "morea" => new MoRegularizedEvolution<TinyGptArchitecture>(space, seed, Math.Max(2, population), Math.Max(2, population / 4)),
            "linas" => new Linas<TinyGptArchitecture>(space, seed, initialSamples: Math.Max(2, population), populationSize: 50, generations: 20, candidatesPerCycle: Math.Max(1, population / 2)),
            _ => new ParEgo<TinyGptArchitecture>(space, seed, initialSamples: Math.Max(2, population / 2)),
        };
    }
}
