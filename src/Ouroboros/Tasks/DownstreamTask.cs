namespace Ouroboros.Tasks;

/// <summary>
/// A downstream task in STOP's sense: what the improver is asked to improve a solution for. The
/// public part (<see cref="Id"/>, <see cref="Signature"/>, <see cref="Description"/>,
/// <see cref="SeedSolution"/>) may be shown to a language model; <see cref="Utility"/> is the
/// secret utility and never leaves the host.
/// </summary>
/// <param name="Id">Short stable name, e.g. <c>lpn</c>; used on the command line and in the store.</param>
/// <param name="Signature">The solution contract, e.g. <c>int[] Algorithm(int[][] trainSamples, ...)</c>, a method of <c>public static class Solution</c>.</param>
/// <param name="Description">STOP's <c>utility.str</c>: a grey-box C# sketch of what is measured; no seeds, no secrets.</param>
/// <param name="SeedSolution">The initial solution s, as C# source.</param>
/// <param name="Utility">The secret utility the host scores with.</param>
public sealed record DownstreamTask(string Id, string Signature, string Description, string SeedSolution, SecretUtility Utility)
{
    /// <summary>The class and method every solution must define.</summary>
    public static Sandbox.EntryPoint Entry { get; } = new("Solution", "Algorithm");
}

/// <summary>
/// The secret utility of a task: generator and scorer, the two splits, the per-instance limit and
/// the call budget. Validated on construction so a bad task fails when it is defined, not mid-run.
/// </summary>
public sealed record SecretUtility
{
    public SecretUtility(IProblem problem, int validationCount, int testCount, TimeSpan instanceLimit, int budget = DefaultBudget)
        : this(problem, Split.Validation(validationCount), Split.Test(testCount), instanceLimit, budget)
    {
    }

    public SecretUtility(IProblem problem, Split validation, Split test, TimeSpan instanceLimit, int budget = DefaultBudget)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (validation.Count < 1 || test.Count < 1)
            throw new ArgumentException($"Both splits need at least one instance (val {validation.Count}, test {test.Count}).");
        if (validation.Count > 10_000 || test.Count > 10_000)
            throw new ArgumentException("A split may hold at most 10000 instances: one utility call runs them all in one round trip.");
        if (instanceLimit <= TimeSpan.Zero)
            throw new ArgumentException("The per-instance time limit must be positive.");
        if (budget < 1)
            throw new ArgumentException($"The call budget must be at least 1, not {budget}.");
        Problem = problem;
        Validation = validation;
        Test = test;
        InstanceLimit = instanceLimit;
        Budget = budget;
    }

    /// <summary>STOP's utility budget: 25 calls per improver run.</summary>
    public const int DefaultBudget = 25;

    public IProblem Problem { get; }

    /// <summary>Used to select candidates; the only split an improver's utility calls see.</summary>
    public Split Validation { get; }

    /// <summary>Reported only, never used to select anything.</summary>
    public Split Test { get; }

    /// <summary>Wall-clock limit for one instance, enforced by the sandbox killing the worker.</summary>
    public TimeSpan InstanceLimit { get; }

    /// <summary>How many utility calls one improver run may make.</summary>
    public int Budget { get; }

    /// <summary>The split called <paramref name="name"/> (<c>val</c> or <c>test</c>).</summary>
    public Split SplitNamed(string name) => name switch
    {
        Split.ValidationName => Validation,
        Split.TestName => Test,
        _ => throw new ArgumentException($"Unknown split '{name}'; use '{Split.ValidationName}' or '{Split.TestName}'."),
    };
}
