using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ouroboros.Tasks;

/// <summary>
/// <c>quadratic-assignment</c>, STOP's modified QAP: assign n = 15 facilities to 15 locations (a
/// permutation a) to minimise <c>cost(a) = Σ F[i][j]·D[a[i]][a[j]] − λ Σ P[i][a[i]]</c>, λ = 0.5, with
/// F, D, P uniform in [0, 1). 10 validation and 10 test instances, 1 s per instance.
/// </summary>
/// <remarks>
/// STOP's defect: its utility returned the mean cost plus run time over 225, while promising
/// "higher is better", so maximising it rewarded worse assignments and slower code. Here the score is
/// <c>(U − cost) / (U − L)</c>, where L and U are the instance's lower and upper bounds on the cost of
/// any permutation from the rearrangement inequality (a permutation maps off-diagonal pairs (i, j)
/// one-to-one onto off-diagonal pairs (a[i], a[j]), so pairing sorted F against reversed or sorted D
/// bounds that sum; likewise the diagonal; the preference term is bounded row by row). So the score is
/// in [0, 1], strictly decreasing in cost, a random permutation scores ≈ 0.5, 1 is reachable only at
/// the bound, and run time is not scored. A result that is not a permutation of 0..n−1 scores 0 and is
/// reported. STOP's 0.5 s limit became 1 s so machine load cannot flip an instance.
/// </remarks>
public sealed class QuadraticAssignment : IProblem
{
    public const string Id = "quadratic-assignment";
    public const string Signature = "int[] Algorithm(double[][] f, double[][] d, double[][] p)";
    public const int Size = 15;
    public const double Lambda = 0.5;

    public static DownstreamTask Create() => new(
        Id, Signature, TaskResources.Description(Id), TaskResources.Seed(Id),
        new SecretUtility(new QuadraticAssignment(), validationCount: 10, testCount: 10, TimeSpan.FromSeconds(1)));

    /// <summary>F, D and P for a seed, drawn in STOP's order.</summary>
    public static (double[][] F, double[][] D, double[][] P) Draw(int seed, int n = Size)
    {
        var random = new Random(seed);
        double[][] Matrix() => Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray()).ToArray();
        var f = Matrix();
        var d = Matrix();
        return (f, d, Matrix());
    }

    public ProblemInstance Generate(int seed)
    {
        var (f, d, p) = Draw(seed);
        var arguments = new JsonArray(JsonValue.Create(f), JsonValue.Create(d), JsonValue.Create(p));
        return new ProblemInstance(arguments, output => Score(f, d, p, output));
    }

    public static Grade Score(double[][] f, double[][] d, double[][] p, JsonNode output)
    {
        int n = f.Length;
        if (!OutputReader.TryIntArray(output, n, 0, n - 1, out var a, out var violation)) return Grade.Invalid(violation);
        var seen = new bool[n];
        for (int i = 0; i < n; i++)
        {
            // A lenient scorer (STOP's checked only that the values are in range) would cost the
            // assignment as given: piling facilities onto cheap locations beats every permutation's bound.
            if (seen[a[i]]) return Grade.Invalid($"expected a permutation of 0..{n - 1}, but location {a[i]} is assigned twice", Lenient(f, d, p, a));
            seen[a[i]] = true;
        }
        var (lower, upper) = CostBounds(f, d, p);
        if (upper - lower <= 0) return Grade.Valid(1); // every permutation costs the same
        return Grade.Valid(Math.Clamp((upper - Cost(f, d, p, a)) / (upper - lower), 0, 1));
    }

    /// <summary>The score of an assignment that is not a permutation, by the same formula, unclamped: above 1 when it costs less than any permutation can.</summary>
    private static double? Lenient(double[][] f, double[][] d, double[][] p, int[] a)
    {
        var (lower, upper) = CostBounds(f, d, p);
        return upper - lower <= 0 ? null : (upper - Cost(f, d, p, a)) / (upper - lower);
    }

    /// <summary>The modified QAP objective; lower is better.</summary>
    public static double Cost(double[][] f, double[][] d, double[][] p, int[] a)
    {
        int n = f.Length;
        double cost = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                cost += f[i][j] * d[a[i]][a[j]];
        for (int i = 0; i < n; i++) cost -= Lambda * p[i][a[i]];
        return cost;
    }

    /// <summary>Bounds L ≤ cost(a) ≤ U valid for every permutation a, by the rearrangement inequality.</summary>
    public static (double Lower, double Upper) CostBounds(double[][] f, double[][] d, double[][] p)
    {
        int n = f.Length;
        var offF = new List<double>();
        var offD = new List<double>();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (i != j) { offF.Add(f[i][j]); offD.Add(d[i][j]); }
        var diagF = Enumerable.Range(0, n).Select(i => f[i][i]).ToList();
        var diagD = Enumerable.Range(0, n).Select(i => d[i][i]).ToList();
        double lower = Pair(offF, offD, ascending: false) + Pair(diagF, diagD, ascending: false) - Lambda * p.Sum(row => row.Max());
        double upper = Pair(offF, offD, ascending: true) + Pair(diagF, diagD, ascending: true) - Lambda * p.Sum(row => row.Min());
        return (lower, upper);
    }

    /// <summary>Σ x·y with x sorted ascending against y sorted ascending (the maximum) or descending (the minimum).</summary>
    private static double Pair(List<double> x, List<double> y, bool ascending)
    {
        var xs = x.Order().ToArray();
        var ys = ascending ? y.Order().ToArray() : y.OrderDescending().ToArray();
        return xs.Zip(ys, (a, b) => a * b).Sum();
    }
}
