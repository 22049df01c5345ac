using Ouroboros.Tasks;

namespace Ouroboros.Stop;

/// <summary>
/// STOP's Table 1 for one improver: on each task, u(s) (the seed solution), û(I₀) (the seed
/// improver) and û(I) (the improver), at the same budgets, per run on both splits. The tasks are
/// meta-test tasks: a STOP run never selected on them.
/// </summary>
public sealed class TransferTable(StopRun run)
{
    public async Task<TransferResult> RunAsync(string improver, CancellationToken cancellationToken)
    {
        var rows = new List<TransferRow>();
        foreach (var task in run.Tasks)
        {
            var on = run.On([task]);
            var progress = run.Run.Progress;
            progress.SetPhase($"transfer to {task.Id}: u(s)");
            var (val, test) = await on.ScoreAsync(task, task.SeedSolution, null, cancellationToken);
            progress.SetPhase($"transfer to {task.Id}: û(I₀)");
            var seed = await Score(on, Improvers.Seed, $"transfer/{task.Id}/seed", cancellationToken);
            progress.SetPhase($"transfer to {task.Id}: û(I)");
            var improved = await Score(on, improver, $"transfer/{task.Id}/improved", cancellationToken);
            rows.Add(new TransferRow(task.Id, new SplitScores(val, test), seed, improved));
        }
        return new TransferResult(Compilation.ProgramHash.Of(improver), rows);
    }

    private static async Task<RunScores> Score(StopRun on, string improver, string name, CancellationToken cancellationToken)
    {
        var line = on.Run.Path.Child(name);
        var score = await new MetaUtility(on).EvaluateAsync(improver, null, withTest: true, line, cancellationToken);
        on.Run.Path.Join([line]);
        return new RunScores(score.ValRuns, score.TestRuns);
    }
}

/// <summary>A transfer table: the improver and one row per meta-test task.</summary>
public sealed record TransferResult(string Improver, IReadOnlyList<TransferRow> Rows);

/// <summary>One task of a transfer table: u(s), and the per-run meta-utilities of the seed improver and of the improver.</summary>
public sealed record TransferRow(string Task, SplitScores Us, RunScores Seed, RunScores Improved);

/// <summary>One score on each split.</summary>
public sealed record SplitScores(double Val, double Test);

/// <summary>Per-run scores on each split.</summary>
public sealed record RunScores(IReadOnlyList<double> ValRuns, IReadOnlyList<double> TestRuns);
