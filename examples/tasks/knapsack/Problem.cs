using System;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ouroboros.Tasks;

/// <summary>
/// The secret utility of the knapsack example: n in 20..40 items, weights 1..50, values 1..100,
/// capacity a third of the total weight. Score = packed value / optimal value (by dynamic
/// programming), so in [0, 1]. Trusted host code: it runs in the host, the solution never sees it.
/// </summary>
public sealed class KnapsackProblem : IProblem
{
    public ProblemInstance Generate(int seed)
    {
        var random = new Random(seed);
        int n = random.Next(20, 41);
        var weights = Enumerable.Range(0, n).Select(_ => random.Next(1, 51)).ToArray();
        var values = Enumerable.Range(0, n).Select(_ => random.Next(1, 101)).ToArray();
        int capacity = weights.Sum() / 3;
        int optimum = Optimum(weights, values, capacity);
        var arguments = new JsonArray(JsonSerializer.SerializeToNode(weights), JsonSerializer.SerializeToNode(values), capacity);
        return new ProblemInstance(arguments, output => Score(weights, values, capacity, optimum, output));
    }

    private static Grade Score(int[] weights, int[] values, int capacity, int optimum, JsonNode output)
    {
        if (!OutputReader.TryIntArray(output, weights.Length, 0, 1, out var take, out var violation))
            return Grade.Invalid(violation);
        int weight = take.Select((t, i) => t * weights[i]).Sum();
        if (weight > capacity)
            return Grade.Invalid($"the items taken weigh {weight}, over the capacity {capacity}");
        return Grade.Valid((double)take.Select((t, i) => t * values[i]).Sum() / optimum);
    }

    /// <summary>The best total value that fits: the classic O(n · capacity) dynamic programme.</summary>
    private static int Optimum(int[] weights, int[] values, int capacity)
    {
        var best = new int[capacity + 1];
        for (int i = 0; i < weights.Length; i++)
            for (int c = capacity; c >= weights[i]; c--)
                best[c] = Math.Max(best[c], best[c - weights[i]] + values[i]);
        return best[capacity];
    }
}
