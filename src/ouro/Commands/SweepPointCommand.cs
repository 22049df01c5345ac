using System.CommandLine;
using Ouroboros.Runs;
using Ouroboros.Stop;
using Ouroboros.Store;
using Ouroboros.Sweeps;

namespace Ouroboros.Cli.Commands;

/// <summary>
/// <c>ouro sweep-point --sweep ID --index I --db DB</c> (hidden): runs one grid point of a sweep, or
/// resumes it from the store where an earlier attempt left it (SIGTERM, a requeue, a failed model),
/// under the point run's lease; a finished point is left as it is. What each element of a sweep's
/// SLURM job array and each child of a local sweep runs. It exits as <c>ouro stop</c> does.
/// </summary>
internal static class SweepPointCommand
{
    public static Command Create()
    {
        var sweep = new Option<string>("--sweep") { Description = "The sweep's id", Required = true };
        var index = new Option<int>("--index") { Description = "The grid point's index (SLURM_ARRAY_TASK_ID)", Required = true };
        var db = RunOptions.Db();
        var cmd = new Command("sweep-point", "Run or resume one grid point of a sweep (what a sweep's jobs run).") { sweep, index, db };
        cmd.Hidden = true;
        cmd.SetAction((parse, ct) => RunAsync(parse.GetValue(db)!, parse.GetValue(sweep)!, parse.GetValue(index), ct));
        return cmd;
    }

    private static async Task<int> RunAsync(string db, string sweepId, int index, CancellationToken cancellationToken)
    {
        using var store = RunOptions.OpenExisting(db);
        var plan = SweepCommand.Plan(store, sweepId, db);
        if (index < 0 || index >= plan.Points.Count)
            throw new UserError($"sweep {sweepId} has points 0 to {plan.Points.Count - 1}, not {index}");
        var point = plan.Points[index];
        var options = StopCommand.Binder().FromStored(point.Config);
        var catalog = StopCommand.Checked(options);
        var model = ExperimentRun.Model(options, store, point.RunId);
        if (store.Journal.GetRun(point.RunId) is { Status: RunStates.Finished })
        {
            Console.Error.WriteLine($"ouro: sweep {sweepId} point {index} ({point.Label}): run {point.RunId} has already finished");
            SweepCompletion.CloseIfDone(store, plan);
            return ExitCodes.Ok;
        }
        int exit;
        using (var lease = Take(store, point.RunId, options))
        {
            Console.Error.WriteLine($"ouro: sweep {sweepId} point {index} ({point.Label}): run {point.RunId}, store {store.Location}");
            exit = await ExperimentRun.RunAsync(new StopExperiment(catalog), options, store, lease, model, json: false, cancellationToken,
                print: (_, _) => Console.WriteLine($"sweep {sweepId} point {index}: run {point.RunId} finished"));
        }
        SweepCompletion.CloseIfDone(store, plan);
        return exit;
    }

    /// <summary>The point run's lease: a new run is created; one an earlier attempt left (or one created meanwhile by another) is resumed.</summary>
    private static RunLease Take(IRunStore store, string runId, StopOptions options)
    {
        if (store.Journal.GetRun(runId) is null)
        {
            try { return ExperimentRun.Create(store, runId, options); }
            catch (Exception) when (store.Journal.GetRun(runId) is not null) { /* another attempt created it first: resume it */ }
        }
        return ExperimentRun.Resume(store, runId);
    }
}
