using Ouroboros.Stop;
using Ouroboros.Store;

namespace Ouroboros.Reporting;

/// <summary>
/// A run's improver lineage: the seed improver I₀ at the root, each improver under the improver that
/// produced it, with the run's iterations, how many solutions each improver produced and the best of
/// them, and the best solution of the whole run by validation utility (test never selects).
/// </summary>
/// <param name="Improvers">Every improver of the run, candidates and those only scored by û inside an improver run.</param>
/// <param name="Unattributed">Solutions whose producer is not an improver of this run: the task's seed solution, and every
/// solution of a store written before solutions recorded the improver that produced them.</param>
/// <param name="Final">The improver the run ended with: the last adopted iteration's.</param>
public sealed record Lineage(string RunId, IReadOnlyList<LineageNode> Roots, int Improvers, int Solutions, int Unattributed,
    string? Final, ScoredSolution? Best);

/// <summary>One improver in the tree: the iterations that scored it (none for a proposal), the solutions it produced, and the improvers it produced.</summary>
public sealed record LineageNode(string Hash, IReadOnlyList<IterationReport> Iterations, int Solutions, ScoredSolution? BestSolution,
    IReadOnlyList<LineageNode> Children)
{
    /// <summary>
    /// seed (t = 0), adopted, rejected, or proposal: a program an improver run scored through û but did
    /// not return, so it never became a candidate. An improver run that failed is recorded against the
    /// current improver, which then shows a later, not-adopted iteration beside its adoption.
    /// </summary>
    public string Role => Iterations.Any(i => i.T == 0) ? "seed" : Iterations.Any(i => i.Adopted) ? "adopted" : Iterations.Count > 0 ? "rejected" : "proposal";
}

/// <summary>A solution and its utilities in the run; <see cref="Improver"/> is the improver that produced it, when known.</summary>
public sealed record ScoredSolution(string Hash, string? Improver, double Val, double? Test);

/// <summary>Builds a run's <see cref="Lineage"/> from the store's parent links (<see cref="IProgramStore.ProgramsOf"/>). Reads only.</summary>
public static class LineageQuery
{
    /// <summary>The lineage of run <paramref name="runId"/>, or null when the store has no such run.</summary>
    public static Lineage? ForRun(IRunStore store, string runId)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (store.Journal.GetRun(runId) is null) return null;
        var iterations = new IterationTable(store).Iterations(runId).Select(i => new IterationReport(i.T, i.ImproverHash,
            RunReportBuilder.Summarise(i.ValRuns, i.Val), RunReportBuilder.Summarise(i.TestRuns, i.Test), i.Adopted, i.Reason)).ToList();
        var programs = store.Programs.ProgramsOf(runId, iterations.Select(i => i.ImproverHash).ToList());
        var order = programs.Select((p, i) => (p.Hash, i)).ToDictionary(x => x.Hash, x => x.i);
        var improvers = programs.Where(p => p.Kind == RunProgram.Improver).ToDictionary(p => p.Hash);
        // An iteration always names a stored improver; a store that lost it still shows the iteration.
        foreach (var i in iterations)
            improvers.TryAdd(i.ImproverHash, new RunProgram(i.ImproverHash, RunProgram.Improver, null, null, null, null, null));

        var solutions = programs.Where(p => p.Kind == RunProgram.Solution).ToList();
        var produced = solutions.Where(s => s.ParentHash is { } p && improvers.ContainsKey(p)).ToLookup(s => s.ParentHash!);
        var children = improvers.Values.Where(p => p.ParentHash is { } parent && parent != p.Hash && improvers.ContainsKey(parent)).ToLookup(p => p.ParentHash!);
        var scoredAt = iterations.ToLookup(i => i.ImproverHash);
        // Candidates in the order the loop scored them, then proposals in the order they were stored.
        int Order(RunProgram p) => scoredAt[p.Hash].Select(i => i.T).DefaultIfEmpty(int.MaxValue).Min();
        int Stored(RunProgram p) => order.GetValueOrDefault(p.Hash, -1);

        var placed = new HashSet<string>();
        LineageNode Node(RunProgram p)
        {
            placed.Add(p.Hash);
            var kids = children[p.Hash].OrderBy(Order).ThenBy(Stored).ToList();
            return new LineageNode(p.Hash, scoredAt[p.Hash].ToList(), produced[p.Hash].Count(), Best(produced[p.Hash], improvers.ContainsKey),
                kids.Where(k => !placed.Contains(k.Hash)).Select(Node).ToList());
        }

        var roots = improvers.Values.Where(p => p.ParentHash is null || p.ParentHash == p.Hash || !improvers.ContainsKey(p.ParentHash))
            .OrderBy(Order).ThenBy(Stored).ToList().Select(Node).ToList();
        // Parent links that loop (only a hand-edited store could make one) reach no root: show them at the top rather than lose them.
        foreach (var p in improvers.Values.OrderBy(Stored).ToList())
            if (!placed.Contains(p.Hash)) roots.Add(Node(p));

        return new Lineage(runId, roots, improvers.Count, solutions.Count, solutions.Count - produced.Sum(g => g.Count()),
            iterations.LastOrDefault(i => i.Adopted)?.ImproverHash, Best(solutions, improvers.ContainsKey));
    }

    /// <summary>The highest validation utility; equal ones go to the solution evaluated first. Test never decides.</summary>
    private static ScoredSolution? Best(IEnumerable<RunProgram> solutions, Func<string, bool> isImprover) => solutions
        .Where(s => s.Val is not null)
        .OrderByDescending(s => s.Val).ThenBy(s => s.FirstEvaluated ?? long.MaxValue).ThenBy(s => s.Hash, StringComparer.Ordinal)
        .Select(s => new ScoredSolution(s.Hash, s.ParentHash is { } p && isImprover(p) ? p : null, s.Val!.Value, s.Test))
        .FirstOrDefault();
}
