using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ouroboros.Tasks;

/// <summary>
/// <c>maxcut</c>: weighted Max-Cut on STOP's random graphs: n ~ U{50..200} vertices, each edge
/// present with probability 0.4 with an integer weight in 1..10. The solution returns a side, 0 or
/// 1, per vertex. 100 validation and 100 test instances, 1 s per instance.
/// </summary>
/// <remarks>
/// STOP's defects: it returned the mean cut weight over 10 (in the hundreds, not a fraction) and one
/// timeout or exception collapsed the whole utility to 0.01. Here an instance scores cut weight /
/// total edge weight, in [0, 1] (a random partition ≈ 0.5 in expectation, the greedy seed ≈ 0.59:
/// on dense random graphs the best cut is only modestly above half the weight), a graph without edges scores 1 (every partition is optimal), and a failing
/// instance scores 0 alone. The result must be exactly n integers, each 0 or 1 (STOP only checked the
/// length); anything else scores 0 and is reported. STOP's 0.1 s limit became 1 s so machine load
/// cannot flip an instance.
/// </remarks>
public sealed class MaxCut : IProblem
{
    public const string Id = "maxcut";
    public const string Signature = "int[] Algorithm(int[][] adjacencyMatrix)";
    public const int MinVertices = 50;
    public const int MaxVertices = 200;
    public const double EdgeProbability = 0.4;
    public const int MaxWeight = 10;

    public static DownstreamTask Create() => new(
        Id, Signature, TaskResources.Description(Id), TaskResources.Seed(Id),
        new SecretUtility(new MaxCut(), validationCount: 100, testCount: 100, TimeSpan.FromSeconds(1)));

    /// <summary>The symmetric weight matrix for a seed (0 = no edge), drawn as STOP draws it.</summary>
    public static int[][] Draw(int seed)
    {
        var random = new Random(seed);
        int n = random.Next(MinVertices, MaxVertices + 1);
        var w = Enumerable.Range(0, n).Select(_ => new int[n]).ToArray();
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                if (random.NextDouble() < EdgeProbability)
                    w[i][j] = w[j][i] = random.Next(1, MaxWeight + 1);
        return w;
    }

    public ProblemInstance Generate(int seed)
    {
        var w = Draw(seed);
        return new ProblemInstance(new JsonArray(JsonValue.Create(w)), output => Score(w, output));
    }

    public static Grade Score(int[][] w, JsonNode output)
    {
        if (!OutputReader.TryIntArray(output, w.Length, 0, 1, out var side, out var violation)) return Grade.Invalid(violation);
        long total = TotalWeight(w);
        return Grade.Valid(total == 0 ? 1 : (double)CutWeight(w, side) / total);
    }

    /// <summary>The weight of edges whose ends are on different sides.</summary>
    public static long CutWeight(int[][] w, int[] side)
    {
        long cut = 0;
        for (int i = 0; i < w.Length; i++)
            for (int j = i + 1; j < w.Length; j++)
                if (side[i] != side[j]) cut += w[i][j];
        return cut;
    }

    public static long TotalWeight(int[][] w)
    {
        long total = 0;
        for (int i = 0; i < w.Length; i++)
            for (int j = i + 1; j < w.Length; j++)
                total += w[i][j];
        return total;
    }
}
