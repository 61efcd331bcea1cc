using System.Collections.Immutable;
using SearchSpaceDsl.Supernets;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyGpt.Pipeline;

/// <summary>
/// Magnitude-based structural pruning of a trained dense TinyGpt to a parameter budget: the baseline NAS must beat.
/// </summary>
/// <remarks>
/// <para>
/// Units are ranked by weight magnitude and the least important are removed, without any retraining:
/// attention heads and MLP neurons by the norms of their weights (<see cref="ImportanceSorting"/>, which the NAS
/// supernet uses too), residual channels (the embedding width) by the squared norm of every weight that reads or
/// writes them, whole blocks by the mean squared magnitude of their weights. Channels, heads and neurons are permuted
/// so that the kept ones come first (the full model's function is unchanged by that), and kept blocks are moved to
/// the front, so every pruned model is a member of the search space, extracted and evaluated by the same code as the
/// NAS models: only the weights differ.
/// </para>
/// <para>
/// The architecture for a budget is chosen greedily from the largest: each move shrinks one dimension by one choice
/// (the embedding width, with heads clipped to fit; one block; the heads or MLP ratio of one block) and the move
/// taken is the one whose removed weights have the smallest mean square (magnitude per removed parameter). Moves stop
/// when the model fits; the path's model closest to the budget is returned.
/// </para>
/// </remarks>
public sealed class MagnitudePruning : IDisposable
{
    private readonly TinyGptModel _sorted;
    private readonly Dictionary<string, Tensor> _squares;

    /// <summary>Ranks the units of <paramref name="dense"/> (a model at the space's largest architecture); <paramref name="dense"/> is not changed.</summary>
    public MagnitudePruning(TinyGptModel dense)
    {
        ArgumentNullException.ThrowIfNull(dense);
        _sorted = new TinyGptModel();
        SupernetLoading.LoadDense(_sorted, dense);
        ImportanceSorting.Sort(_sorted);
        SortResidualChannels(_sorted);
        using var noGrad = no_grad();
        _squares = _sorted.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().pow(2));
    }

    /// <summary>The pruned architecture of at most about <paramref name="parameters"/> parameters (closest on the greedy path).</summary>
    public TinyGptArchitecture ArchitectureFor(long parameters)
    {
        var state = State.Largest();
        var best = state;
        var bestGap = Math.Abs(state.Parameters - parameters);
        while (state.Parameters > parameters)
        {
            State? next = null;
            var nextCost = double.PositiveInfinity;
            var mass = Mass(state);
            foreach (var candidate in state.Moves())
            {
                var removed = state.Parameters - candidate.Parameters;
                if (removed <= 0)
                    continue;
                var cost = (mass - Mass(candidate)) / removed;
                if (cost < nextCost)
                {
                    nextCost = cost;
                    next = candidate;
                }
            }
            if (next is null)
                break;
            state = next;
            var gap = Math.Abs(state.Parameters - parameters);
            if (gap < bestGap || (gap == bestGap && state.Parameters <= parameters))
            {
                best = state;
                bestGap = gap;
            }
        }
        return best.Architecture;
    }

    /// <summary>
    /// A model at the largest capacity whose <paramref name="architecture"/> prefix is the pruned model (kept blocks moved
    /// to the front), activated at <paramref name="architecture"/>; the caller disposes it.
    /// </summary>
    public TinyGptModel Build(TinyGptArchitecture architecture) => Build(StateOf(architecture));

    /// <summary>Disposes the ranked copy.</summary>
    public void Dispose()
    {
        foreach (var square in _squares.Values)
            square.Dispose();
        _sorted.Dispose();
    }

    private TinyGptModel Build(State state)
    {
        var model = new TinyGptModel();
        SupernetLoading.LoadDense(model, _sorted);
        var source = _sorted.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var target = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (no_grad())
        {
            for (var position = 0; position < state.Kept.Length; position++)
            {
                foreach (var kind in BlockMembers)
                {
                    var prefix = $"{kind}.{state.Kept[position]}.";
                    foreach (var (name, tensor) in source.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)))
                        target[$"{kind}.{position}.{name[prefix.Length..]}"].copy_(tensor);
                }
            }
        }
        model.Activate(state.Architecture);
        return model;
    }

    // Which layer lists make up one block.
    private static readonly string[] BlockMembers = ["norm1", "attention", "norm2", "mlp"];

    // The greedy path's state for an architecture whose blocks are the first L (used for Build of a given architecture).
    // The path itself keeps which original blocks survive, so ArchitectureFor's results are rebuilt through the cache.
    private State StateOf(TinyGptArchitecture architecture) =>
        _paths.TryGetValue(architecture, out var state) ? state : State.Prefix(architecture);

    private readonly Dictionary<TinyGptArchitecture, State> _paths = [];

    private double Mass(State state)
    {
        _paths.TryAdd(state.Architecture, state);
        var e = state.EmbedDim;
        double total = SumSquares("tokens.weight", 0, 0, e) + SumSquares("positions.weight", 0, 0, e)
            + SumSquares("final_norm.weight", e) + SumSquares("final_norm.bias", e);
        for (var position = 0; position < state.Kept.Length; position++)
        {
            var j = state.Kept[position];
            var width = state.Heads[position] * TinyGptArchitecture.HeadSize;
            var hidden = state.Ratios[position] * e;
            total += SumSquares($"norm1.{j}.weight", e) + SumSquares($"norm1.{j}.bias", e)
                + SumSquares($"norm2.{j}.weight", e) + SumSquares($"norm2.{j}.bias", e);
            foreach (var projection in new[] { "query", "key", "value" })
                total += SumSquares($"attention.{j}.{projection}.weight", width, e) + SumSquares($"attention.{j}.{projection}.bias", width);
            total += SumSquares($"attention.{j}.output.weight", e, width) + SumSquares($"attention.{j}.output.bias", e);
            total += SumSquares($"mlp.{j}.fc1.weight", hidden, e) + SumSquares($"mlp.{j}.fc1.bias", hidden)
                + SumSquares($"mlp.{j}.fc2.weight", e, hidden) + SumSquares($"mlp.{j}.fc2.bias", e);
        }
        return total;
    }

    // Σ of squares of [:rows] (vectors) or [:rows, :columns] (matrices); rows 0 with a start means "all rows".
    private double SumSquares(string name, int rows, int columns = -1, int embedColumns = -1)
    {
        if (!_squares.TryGetValue(name, out var square))
            return 0; // a bias the model does not have
        using var scope = NewDisposeScope();
        if (embedColumns > 0)
            return square.narrow(1, 0, embedColumns).sum().ToDouble();
        var view = square.narrow(0, 0, rows);
        if (columns > 0)
            view = view.narrow(1, 0, columns);
        return view.sum().ToDouble();
    }

    // Permutes the residual stream's channels by descending squared norm of every weight that reads or writes them.
    // LayerNorm is permutation-equivariant and the head is tied to the embedding, so the model's function is unchanged;
    // only the prefix "first d channels" now keeps the strongest.
    private static void SortResidualChannels(TinyGptModel model)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var parameters = model.named_parameters().ToList();
        var width = TinyGptArchitecture.Space.Largest.EmbedDim;
        var score = zeros(width, dtype: float64);
        foreach (var (name, parameter) in parameters)
        {
            if (ResidualAxis(name) is not { } axis)
                continue;
            var squares = parameter.detach().to_type(float64).pow(2);
            score += parameter.dim() == 1 ? squares : squares.sum(1 - axis);
        }
        var order = score.argsort(descending: true);
        foreach (var (name, parameter) in parameters)
        {
            if (ResidualAxis(name) is { } axis)
                parameter.copy_(parameter.index_select(axis, order));
        }
    }

    // The axis of a parameter that indexes residual channels, or null when it has none.
    private static long? ResidualAxis(string name)
    {
        if (name is "tokens.weight" or "positions.weight")
            return 1;
        if (name.StartsWith("norm1.", StringComparison.Ordinal) || name.StartsWith("norm2.", StringComparison.Ordinal) || name.StartsWith("final_norm.", StringComparison.Ordinal))
            return 0;
        if (name.EndsWith(".query.weight", StringComparison.Ordinal) || name.EndsWith(".key.weight", StringComparison.Ordinal)
            || name.EndsWith(".value.weight", StringComparison.Ordinal) || name.EndsWith(".fc1.weight", StringComparison.Ordinal))
            return 1;
        if (name.EndsWith(".output.weight", StringComparison.Ordinal) || name.EndsWith(".output.bias", StringComparison.Ordinal)
            || name.EndsWith(".fc2.weight", StringComparison.Ordinal) || name.EndsWith(".fc2.bias", StringComparison.Ordinal))
            return 0;
        return null;
    }

    // One point of the greedy path: the embedding width and, per surviving block (original index), its heads and ratio.
    private sealed record State(int EmbedDim, int[] Kept, int[] Heads, int[] Ratios, bool Bias)
    {
        // Computed, not stored: a `with` copy would keep a stored value of the original.
        public TinyGptArchitecture Architecture => new(EmbedDim, Kept.Length, ImmutableArray.Create(Heads), ImmutableArray.Create(Ratios), Bias);

        public long Parameters => TinyGptModel.CountParameters(Architecture);

        public static State Largest() => Prefix(TinyGptArchitecture.Space.Largest);

        public static State Prefix(TinyGptArchitecture a) =>
            new(a.EmbedDim, [.. Enumerable.Range(0, a.Layers)], [.. a.Heads.Take(a.Layers)], [.. a.MlpRatio.Take(a.Layers)], a.Bias);

        public IEnumerable<State> Moves()
        {
            if (Lower(Choices(nameof(TinyGptArchitecture.EmbedDim)), EmbedDim) is { } e)
            {
                var cap = Choices(nameof(TinyGptArchitecture.Heads)).Where(h => h * TinyGptArchitecture.HeadSize <= e).DefaultIfEmpty(0).Max();
                if (cap > 0)
                    yield return this with { EmbedDim = e, Heads = [.. Heads.Select(h => Math.Min(h, cap))] };
            }
            if (Kept.Length > Choices(nameof(TinyGptArchitecture.Layers)).Min())
            {
                for (var i = 0; i < Kept.Length; i++)
                    yield return this with { Kept = Without(Kept, i), Heads = Without(Heads, i), Ratios = Without(Ratios, i) };
            }
            for (var i = 0; i < Kept.Length; i++)
            {
                if (Lower(Choices(nameof(TinyGptArchitecture.Heads)), Heads[i]) is { } h)
                    yield return this with { Heads = With(Heads, i, h) };
                if (Lower(Choices(nameof(TinyGptArchitecture.MlpRatio)), Ratios[i]) is { } r)
                    yield return this with { Ratios = With(Ratios, i, r) };
            }
        }

        private static IReadOnlyList<int> Choices(string dimension) =>
            ((SearchSpaceDsl.Dimension<int>)TinyGptArchitecture.Space.Description[dimension]).Values;

        private static int? Lower(IReadOnlyList<int> values, int value)
        {
            int? lower = null;
            foreach (var v in values)
            {
                if (v < value && (lower is null || v > lower))
                    lower = v;
            }
            return lower;
        }

        private static int[] Without(int[] values, int index) => [.. values.Take(index), .. values.Skip(index + 1)];

        private static int[] With(int[] values, int index, int value)
        {
            var copy = (int[])values.Clone();
            copy[index] = value;
            return copy;
        }
    }
}
