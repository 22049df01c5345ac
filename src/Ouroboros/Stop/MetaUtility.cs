using Ouroboros.Tasks;

namespace Ouroboros.Stop;

/// <summary>
/// The meta-utility of one improver: the downstream utilities of the solutions it produced, one per
/// run, on both splits. Validation selects; test is only reported.
/// </summary>
public sealed record MetaUtilityScore(string ImproverHash, IReadOnlyList<double> ValRuns, IReadOnlyList<double> TestRuns)
{
    public double Val => ValRuns.Count == 0 ? 0 : ValRuns.Average();
    public double Test => TestRuns.Count == 0 ? 0 : TestRuns.Average();
}

/// <summary>
/// û(I), as STOP defines it: the mean downstream utility over <see cref="StopOptions.MetaUtilityRuns"/>
/// runs of the improver on the task's seed solution, each run with a fresh model budget and a fresh
/// utility budget. A run that fails, cheats or returns nothing contributes 0.
/// </summary>
public sealed class MetaUtility(StopRun run)
{
    private readonly ImproverRunner _runner = new(run);

    /// <param name="withTest">Also score each run's solution on the test split, to report (never to select).</param>
    public async Task<MetaUtilityScore> EvaluateAsync(string improver, string? parentHash, bool withTest, CancellationToken cancellationToken)
    {
        var hash = run.Remember(improver, "improver", parentHash);
        var baseline = await run.SeedValidationAsync(cancellationToken);
        run.Remember(run.Task.SeedSolution, "solution", null);
        var val = new List<double>();
        var test = new List<double>();
        // Runs go one after another: the model's k-th answer to a prompt is numbered in call order,
        // so a re-executed run (resume, replay) asks in the same order and gets the same answers.
        for (int i = 0; i < run.Options.MetaUtilityRuns; i++)
        {
            var utility = new UtilityCapability(run.Task, run.Sandbox, baseline: baseline);
            var result = await _runner.RunAsync(improver, run.Task.SeedSolution, utility, cancellationToken);
            run.Record(utility.Events);
            if (result.Improved is not { } solution)
            {
                val.Add(0);
                if (withTest) test.Add(0);
                continue;
            }
            // A solution's parent is the improver that produced it, as an improver's is: the lineage
            // then says which improver made which solution (its input, the seed solution, is the task's).
            val.Add((await run.EvaluateAsync(solution, Split.ValidationName, hash, cancellationToken)).Utility);
            if (withTest) test.Add((await run.EvaluateAsync(solution, Split.TestName, hash, cancellationToken)).Utility);
        }
        return new MetaUtilityScore(hash, val, test);
    }
}
