using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ouroboros.Tasks;

/// <summary>
/// <c>3sat</c>: random 3-SAT with a planted solution, STOP's generator: n ~ U{5..50} variables,
/// m = 4n clauses of 3 distinct variables with random signs, each kept only if a hidden random
/// assignment satisfies it, so every formula is satisfiable. 30 validation and 30 test instances,
/// 1 s per instance.
/// </summary>
/// <remarks>
/// Scoring: 1 if the returned assignment satisfies every clause, else 0; the utility is the fraction
/// solved, in [0, 1]. STOP's defects fixed: a wrong or slow answer scored 0.01 rather than 0, and one
/// exception (its own seed returns None on failure) collapsed the whole utility to 0.01; here a null,
/// exception or timeout scores that instance 0 and the rest still count. The result must be exactly
/// n + 1 booleans (index 0 unused); anything else scores 0 and is reported. STOP's 0.1 s limit became
/// 1 s so machine load cannot flip an instance.
/// </remarks>
public sealed class ThreeSat : IProblem
{
    public const string Id = "3sat";
    public const string Signature = "bool[] Algorithm(int[][] formula, int variableCount)";
    public const int MinVariables = 5;
    public const int MaxVariables = 50;
    public const int ClausesPerVariable = 4;

    public static DownstreamTask Create() => new(
        Id, Signature, TaskResources.Description(Id), TaskResources.Seed(Id),
        new SecretUtility(new ThreeSat(), validationCount: 30, testCount: 30, TimeSpan.FromSeconds(1)));

    /// <summary>The formula for a seed and the planted assignment that satisfies it (index 0 unused).</summary>
    public static (int[][] Formula, int VariableCount, bool[] Planted) Draw(int seed)
    {
        var random = new Random(seed);
        int n = random.Next(MinVariables, MaxVariables + 1);
        int m = ClausesPerVariable * n;
        var planted = new bool[n + 1];
        for (int v = 1; v <= n; v++) planted[v] = random.NextDouble() < 0.5;
        var formula = new List<int[]>(m);
        var variables = Enumerable.Range(1, n).ToArray();
        // STOP's rejection loop: up to m² draws; a random clause is satisfied by the planted
        // assignment with probability 7/8, so m clauses arrive long before the cap.
        for (int attempt = 0; attempt < m * m && formula.Count < m; attempt++)
        {
            random.Shuffle(variables);
            var clause = variables[..3].Select(v => random.NextDouble() < 0.5 ? v : -v).ToArray();
            if (Satisfies(planted, clause)) formula.Add(clause);
        }
        var shuffled = formula.ToArray();
        random.Shuffle(shuffled);
        return (shuffled, n, planted);
    }

    public ProblemInstance Generate(int seed)
    {
        var (formula, n, _) = Draw(seed);
        return new ProblemInstance(new JsonArray(JsonValue.Create(formula), n), output => Score(formula, n, output));
    }

    public static Grade Score(int[][] formula, int variableCount, JsonNode output)
    {
        if (!OutputReader.TryBoolArray(output, variableCount + 1, out var assignment, out var violation))
            return Grade.Invalid($"{violation} (index 0 unused, then one per variable)");
        return Grade.Valid(formula.All(clause => Satisfies(assignment, clause)) ? 1 : 0);
    }

    /// <summary>Whether <paramref name="assignment"/> (indexed by variable) makes some literal of the clause true.</summary>
    public static bool Satisfies(bool[] assignment, int[] clause) =>
        clause.Any(literal => assignment[Math.Abs(literal)] == (literal > 0));
}
