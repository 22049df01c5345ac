using Ouroboros.Store;

namespace Ouroboros.Stop;

/// <summary>
/// STOP's Algorithm 1: starting from the seed improver I₀, for t = 1..T,
/// I_t = I_{t−1}(û, I_{t−1}, L) — the current improver improves its own source, scored by the
/// meta-utility û. Unlike STOP, the candidate replaces the current improver only when it passes
/// <see cref="AdoptionTest"/>; a rejected candidate stays in the store with the reason.
/// </summary>
public sealed class SelfImprovementLoop(StopRun run)
{
    private readonly MetaUtility _metaUtility = new(run);
    private readonly ImproverRunner _runner = new(run);

    public async Task<IReadOnlyList<IterationRow>> RunAsync(CancellationToken cancellationToken)
    {
        var iterations = new List<IterationRow>();
        run.Progress.StartIteration(0, "scoring the seed improver I₀");
        var improver = Improvers.Seed;
        var current = await _metaUtility.EvaluateAsync(improver, null, withTest: true, cancellationToken);
        iterations.Add(Record(0, current, adopted: true, "the seed improver I₀"));

        for (int t = 1; t <= run.Options.Iterations; t++)
        {
            run.Progress.StartIteration(t, $"I{t - 1} improves itself");
            // I_t = I_{t-1}(û, I_{t-1}, L)
            var metaUtility = new MetaUtilityCapability(run, current.ImproverHash);
            var improved = await _runner.RunAsync(improver, improver, metaUtility, cancellationToken);
            run.Record(metaUtility.Events);
            if (improved.Improved is not { } candidate)
            {
                var reason = $"kept the current improver: the improver run ended {improved.Status} ({improved.Error ?? "no program"})";
                iterations.Add(Record(t, current, adopted: false, reason, improverHash: improved.ImproverHash));
                continue;
            }
            run.Progress.SetPhase($"scoring candidate I{t}");
            var score = await _metaUtility.EvaluateAsync(candidate, current.ImproverHash, withTest: true, cancellationToken);
            var decision = AdoptionTest.Decide(score, current);
            iterations.Add(Record(t, score, decision.Adopt, decision.Reason));
            if (decision.Adopt)
            {
                improver = candidate;
                current = score;
            }
        }
        return iterations;
    }

    /// <summary>The improver a finished loop ended with: the last adopted one.</summary>
    public static string FinalImproverHash(IReadOnlyList<IterationRow> iterations) => iterations.Last(i => i.Adopted).ImproverHash;

    private IterationRow Record(int t, MetaUtilityScore score, bool adopted, string reason, string? improverHash = null)
    {
        var row = new IterationRow(run.Id, t, improverHash ?? score.ImproverHash, score.Val, score.Test, score.ValRuns, score.TestRuns, adopted, reason);
        run.Records.PutIteration(row);
        run.Progress.Scored(score.Val, score.Test);
        return row;
    }
}
