using Ouroboros.Compilation;
using Ouroboros.Runs;
using Ouroboros.Stop;
using Ouroboros.Tasks;

namespace Ouroboros.Improve;

/// <summary><c>improve</c>: u(s) → u(I(u, s)) — one improver run on a task's seed solution, scored on both splits before and after.</summary>
public sealed class ImproveExperiment(TaskCatalog catalog) : IExperiment<ImproveOptions, ImproveResult>
{
    public async Task<ImproveResult> RunAsync(RunContext run, ImproveOptions options, CancellationToken cancellationToken)
    {
        var stop = new StopRun(run, options, ImproverOptions.Resolve(catalog, "task", [options.Task]));
        var task = stop.Tasks[0];
        var improver = run.Store.Programs.ProgramSource(options.Improver)
            ?? throw new OptionsException("improver", $"names program {options.Improver}, which is not in this run store");
        run.Remember(task.SeedSolution, "solution", null);
        var (val, test) = await stop.ScoreAsync(task, task.SeedSolution, null, cancellationToken);
        var utility = new UtilityCapability(task, run.Sandbox, baseline: val);
        run.Progress.SetPhase("the improver runs");
        var line = run.Path.Child("improve");
        var result = await new ImproverRunner(stop).RunAsync(improver, task.SeedSolution, utility, line, cancellationToken);
        run.Path.Join([line]);
        run.Record(utility.Events);
        var after = result.Improved is { } solution ? await stop.ScoreAsync(task, solution, options.Improver, cancellationToken) : (Val: 0.0, Test: 0.0);
        return new ImproveResult(task.Id, options.Improver, new SplitScores(val, test), new SplitScores(after.Val, after.Test),
            result.Status.ToString(), result.Error, result.Improved is { } s ? ProgramHash.Of(s) : null, utility.Uses);
    }
}

/// <summary>Before and after one improver run: u(s) and u(I(u, s)) on both splits, how the run ended, the solution and the utility calls it made.</summary>
public sealed record ImproveResult(string Task, string Improver, SplitScores Before, SplitScores After, string Status, string? Error, string? Solution, int UtilityCalls);
