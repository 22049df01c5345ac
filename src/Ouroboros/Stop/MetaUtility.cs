using Ouroboros.Models;
using Ouroboros.Tasks;

namespace Ouroboros.Stop;

/// <summary>
/// The meta-utility of one improver: the downstream utilities of the solutions it produced, one per
/// run and task, on both splits (task-major: all runs of D's first task, then the next). Validation
/// selects; test is only reported.
/// </summary>
public sealed record MetaUtilityScore(string ImproverHash, IReadOnlyList<double> ValRuns, IReadOnlyList<double> TestRuns)
{
    public double Val => ValRuns.Count == 0 ? 0 : ValRuns.Average();
    public double Test => TestRuns.Count == 0 ? 0 : TestRuns.Average();
}

/// <summary>
/// û(I), as STOP's Algorithm 1 defines it: the mean over the downstream tasks (u, s) in D, and over
/// <see cref="ImproverOptions.MetaUtilityRuns"/> runs of each, of u(I(u, s, L)) — each run with a
/// fresh model budget and a fresh utility budget. A run that fails, cheats or returns nothing
/// contributes 0. The runs are independent and go side by side (at most the run's
/// <c>parallel</c>); each draws from the model at its own position, so the score does not depend on
/// how many ran at once.
/// </summary>
public sealed class MetaUtility(StopRun run)
{
    private readonly ImproverRunner _runner = new(run);

    /// <param name="withTest">Also score each run's solution on the test split, to report (never to select).</param>
    /// <param name="path">Where this evaluation stands in the run; run i of task τ goes on at <c>path/τ/r{i}</c>.</param>
    public async Task<MetaUtilityScore> EvaluateAsync(string improver, string? parentHash, bool withTest, CallPath path, CancellationToken cancellationToken)
    {
        var hash = run.Run.Remember(improver, "improver", parentHash);
        int perTask = run.Options.MetaUtilityRuns;
        var lines = new CallPath[run.Tasks.Count * perTask];
        var scores = await run.Run.FanoutAsync<(double Val, double Test)>(lines.Length, async k =>
        {
            var task = run.Tasks[k / perTask];
            lines[k] = path.Child(run.Tasks.Count == 1 ? $"r{k % perTask}" : $"{task.Id}/r{k % perTask}");
            run.Run.Remember(task.SeedSolution, "solution", null);
            var utility = await run.UtilityAsync(task, cancellationToken);
            var result = await _runner.RunAsync(improver, task.SeedSolution, utility, lines[k], cancellationToken);
            run.Run.Record(utility.Events);
            if (result.Improved is not { } solution) return (0.0, 0.0);
            // A solution's parent is the improver that produced it, as an improver's is: the lineage
            // then says which improver made which solution (its input, the seed solution, is the task's).
            if (!withTest) return ((await run.EvaluateAsync(task, solution, Split.ValidationName, hash, cancellationToken)).Utility, 0.0);
            return await run.ScoreAsync(task, solution, hash, cancellationToken);
        }, cancellationToken);
        path.Join(lines.Where(l => l is not null));
        return new MetaUtilityScore(hash, scores.Select(s => s.Val).ToList(), withTest ? scores.Select(s => s.Test).ToList() : []);
    }
}
