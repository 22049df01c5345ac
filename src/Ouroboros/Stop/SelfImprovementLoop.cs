using Ouroboros.Sandbox;
using Ouroboros.Store;

namespace Ouroboros.Stop;

/// <summary>
/// STOP's Algorithm 1: starting from the seed improver I₀, for t = 1..T,
/// I_t = I_{t−1}(û, I_{t−1}, L) — the current improver improves its own source, scored by the
/// meta-utility û over the downstream tasks D. Unlike STOP, the candidate replaces the current
/// improver only when it passes <see cref="AdoptionTest"/>; a rejected candidate stays in the store
/// with the reason.
/// </summary>
public sealed class SelfImprovementLoop(StopRun run, int iterationCount)
{
    private readonly MetaUtility _metaUtility = new(run);
    private readonly ImproverRunner _runner = new(run);

    public async Task<IReadOnlyList<IterationRow>> RunAsync(CancellationToken cancellationToken)
    {
        var path = run.Run.Path;
        var progress = run.Run.Progress;
        var iterations = new List<IterationRow>();
        progress.StartIteration(0, "scoring the seed improver I₀");
        var improver = Improvers.Seed;
        var current = await Score(improver, null, "t0/score", cancellationToken);
        iterations.Add(Record(0, current, adopted: true, "the seed improver I₀"));

        for (int t = 1; t <= iterationCount; t++)
        {
            progress.StartIteration(t, $"I{t - 1} improves itself");
            // I_t = I_{t-1}(û, I_{t-1}, L)
            var line = path.Child($"t{t}/improve");
            var metaUtility = new MetaUtilityCapability(run, current.ImproverHash, line);
            var improved = await _runner.RunAsync(improver, improver, metaUtility, line, cancellationToken);
            path.Join([line]);
            run.Run.Record(metaUtility.Events);
            if (improved.Improved is not { } candidate)
            {
                var how = improved.Status == RunStatus.Ok ? "returned no program" : $"ended {improved.Status.Name()}";
                var reason = $"kept the current improver: the improver run {how} ({improved.Error ?? "no program"})";
                iterations.Add(Record(t, current, adopted: false, reason, improverHash: improved.ImproverHash));
                continue;
            }
            if (candidate == improver)
            {
                // Scoring it again would spend a meta-utility evaluation to learn what is known.
                iterations.Add(Record(t, current, adopted: false, "kept the current improver: the improver returned itself unchanged"));
                continue;
            }
            progress.SetPhase($"scoring candidate I{t}");
            var score = await Score(candidate, current.ImproverHash, $"t{t}/score", cancellationToken);
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

    /// <summary>û of an improver on both splits, its runs on their own line of the run.</summary>
    private async Task<MetaUtilityScore> Score(string improver, string? parentHash, string name, CancellationToken cancellationToken)
    {
        var line = run.Run.Path.Child(name);
        var score = await _metaUtility.EvaluateAsync(improver, parentHash, withTest: true, line, cancellationToken);
        run.Run.Path.Join([line]);
        return score;
    }

    private IterationRow Record(int t, MetaUtilityScore score, bool adopted, string reason, string? improverHash = null)
    {
        var row = new IterationRow(run.Run.Id, t, improverHash ?? score.ImproverHash, score.Val, score.Test, score.ValRuns, score.TestRuns, adopted, reason);
        new IterationTable(run.Run.Store).PutIteration(row);
        run.Run.Progress.Scored(score.Val, score.Test);
        run.Run.Progress.IterationDone(t, adopted, score.Val);
        return row;
    }
}
