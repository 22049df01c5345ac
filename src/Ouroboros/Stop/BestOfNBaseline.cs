namespace Ouroboros.Stop;

/// <summary>
/// The baseline every STOP report carries: the seed improver run again and again on the seed
/// solutions of D (in turn) until it has spent the model completions the self-improvement loop
/// spent, keeping the best solution by validation utility (best-of-N). It answers whether
/// self-improvement beat simply spending the budget. The runs are independent and go side by side;
/// the best is chosen in run order, so ties go to the earlier run whatever finished first.
/// </summary>
public sealed class BestOfNBaseline(StopRun run)
{
    public const string Method = "best-of-N, best solution by validation utility";

    public async Task<BaselineResult> RunAsync(long completionsToSpend, CancellationToken cancellationToken)
    {
        var perRun = run.Options.MaxResponsesPerCall;
        var runs = (int)Math.Max(1, Math.Ceiling(completionsToSpend / (double)perRun));
        var runner = new ImproverRunner(run);
        var lines = new Models.CallPath[runs];
        long utilityCalls = 0;
        int done = 0;
        // Its solutions' parent is the seed improver that produced them (see MetaUtility).
        var seedImprover = run.Run.Remember(Improvers.Seed, "improver", null);
        var results = await run.Run.FanoutAsync(runs, async i =>
        {
            var task = run.Tasks[i % run.Tasks.Count];
            lines[i] = run.Run.Path.Child($"baseline/r{i}");
            run.Run.Remember(task.SeedSolution, "solution", null);
            var utility = await run.UtilityAsync(task, cancellationToken);
            var result = await runner.RunAsync(Improvers.Seed, task.SeedSolution, utility, lines[i], cancellationToken);
            run.Run.Record(utility.Events);
            Interlocked.Add(ref utilityCalls, utility.Uses);
            run.Run.Progress.SetPhase($"baseline: {Interlocked.Increment(ref done)} of {runs} seed improver runs done");
            return result.Improved is { } solution ? await run.ScoreAsync(task, solution, seedImprover, cancellationToken) : (Val: 0.0, Test: 0.0);
        }, cancellationToken);
        run.Run.Path.Join(lines.Where(l => l is not null));
        int best = -1;
        for (int i = 0; i < results.Length; i++)
            if (best < 0 || results[i].Val > results[best].Val) best = i;
        return new BaselineResult(Method, runs, runs * (long)perRun, utilityCalls, results[best].Val, results[best].Test,
            results.Select(r => r.Val).ToList(), results.Select(r => r.Test).ToList());
    }
}

/// <summary>The best-of-N baseline: how many runs, the completions they were allowed, the best solution's scores and every run's.</summary>
public sealed record BaselineResult(string Method, int Runs, long Completions, long UtilityCalls, double Val, double Test,
    IReadOnlyList<double> ValRuns, IReadOnlyList<double> TestRuns);
