using Ouroboros.Runs;
using Ouroboros.Tasks;

namespace Ouroboros.Stop;

/// <summary>
/// A whole STOP run: the self-improvement loop over D, then the best-of-N baseline at the
/// completions the loop spent, then — when the run names meta-test tasks — the final improver's
/// transfer table on them.
/// </summary>
public sealed class StopExperiment(TaskCatalog catalog) : IExperiment<StopOptions, StopResult>
{
    public async Task<StopResult> RunAsync(RunContext run, StopOptions options, CancellationToken cancellationToken)
    {
        var stop = new StopRun(run, options, ImproverOptions.Resolve(catalog, "tasks", options.Tasks));
        var transferTasks = options.TransferTasks.Count == 0 ? [] : ImproverOptions.Resolve(catalog, "transferTasks", options.TransferTasks);
        run.Progress.Iterations = options.Iterations;
        run.Progress.MetaUtilityBudget = options.MetaUtilityBudget;

        // u(s) on both splits, once per task: the reference the report draws every improver against.
        foreach (var task in stop.Tasks) await stop.ScoreAsync(task, task.SeedSolution, null, cancellationToken);
        var iterations = await new SelfImprovementLoop(stop, options.Iterations).RunAsync(cancellationToken);
        var loop = run.Usage();
        var baseline = await new BestOfNBaseline(stop).RunAsync(loop.Completions, cancellationToken);
        var finalImprover = SelfImprovementLoop.FinalImproverHash(iterations);
        TransferResult? transfer = null;
        if (transferTasks.Count > 0)
            transfer = await new TransferTable(stop.On(transferTasks)).RunAsync(run.Store.Programs.ProgramSource(finalImprover)!, cancellationToken);
        return new StopResult(finalImprover, baseline, AdoptionTest.Statement, loop, transfer);
    }
}

/// <summary>
/// What a STOP run found: the final improver, the baseline, the adoption rule in force, what the
/// loop alone spent on the model (the baseline's budget), and the transfer table when asked for.
/// </summary>
public sealed record StopResult(string FinalImprover, BaselineResult Baseline, string AdoptionTest, ModelUsageSummary Loop, TransferResult? Transfer);
