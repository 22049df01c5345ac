using Ouroboros.Store;
using Ouroboros.Sweeps;

namespace Ouroboros.Cli.Commands;

/// <summary>
/// The SLURM executor: writes the job script into the sweep's log folder (a new one per submission,
/// so a resubmission never rewrites the script of a job still queued) and submits one job array over
/// the points, recorded as the sweep's step. The sweep run's lease is given up when this returns: the
/// array's elements take their points' leases themselves.
/// </summary>
internal static class SlurmSweep
{
    public static int Submit(IRunStore store, SweepPlan plan, IReadOnlyList<int> indices, string sbatch, string db, bool json)
    {
        var logDir = plan.Execution.Slurm.LogDir!;
        Directory.CreateDirectory(logDir);
        var submission = (store.Journal.GetStep(plan.SweepId, SweepPoints.SlurmStep)?["submissions"] as System.Text.Json.Nodes.JsonArray)?.Count ?? 0;
        var script = Path.Combine(logDir, $"job-{submission}.sh");
        // A SQLite store by its full path: the job starts wherever SLURM puts it.
        var where = Uri.TryCreate(db, UriKind.Absolute, out var uri) && !uri.IsFile ? db : Path.GetFullPath(db);
        File.WriteAllText(script, SlurmArray.Script(plan, OuroExecutable.Command(), where, logDir));
        string jobId;
        try { jobId = SlurmArray.Submit(sbatch, script, indices); }
        catch (SlurmSubmitException e)
        {
            store.Journal.FailRun(plan.SweepId, e.Message);
            throw new SchedulerMissing($"{e.Message}; fix that, then submit the sweep again with: ouro sweep --resume {plan.SweepId} --db {db}");
        }
        SweepPoints.RecordSubmission(store, plan.SweepId, jobId, indices);
        Console.Error.WriteLine($"ouro: sweep {plan.SweepId}: submitted job array {jobId} ({indices.Count} points: --array={SlurmArray.Ranges(indices)}), script {script}");
        Console.Error.WriteLine($"ouro: follow it with: ouro sweep --status {plan.SweepId} --db {db}; the aggregate: ouro report --sweep {plan.SweepId} --db {db}");
        if (json) Console.WriteLine(new System.Text.Json.Nodes.JsonObject { ["sweep"] = plan.SweepId, ["jobId"] = jobId, ["points"] = indices.Count, ["script"] = script }.ToJsonString());
        else Console.WriteLine($"{plan.SweepId} {jobId}");
        return ExitCodes.Ok;
    }
}
