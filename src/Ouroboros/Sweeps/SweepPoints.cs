using System.Text.Json.Nodes;
using Ouroboros.Runs;
using Ouroboros.Store;

namespace Ouroboros.Sweeps;

/// <summary>
/// How each point of a sweep stands, read from the store: <c>pending</c> (its run does not exist
/// yet), or its run's status (<c>running</c>, <c>stale</c>, <c>finished</c>, <c>failed</c>,
/// <c>interrupted</c>), with the SLURM job element that last ran it and why it failed. Also the
/// sweep run's steps: which run each point is, and which SLURM jobs were submitted for which points.
/// </summary>
public static class SweepPoints
{
    public const string Pending = "pending";

    /// <summary>The step that maps point <paramref name="index"/> to its run.</summary>
    public static string PointStep(int index) => $"point/{index}";

    /// <summary>The step that lists the SLURM submissions: <c>{"submissions": [{"jobId", "indices"}]}</c>, oldest first.</summary>
    public const string SlurmStep = "slurm";

    /// <summary>Records which run each point is (the sweep's map from point to run id).</summary>
    public static void RecordPoints(IRunStore store, SweepPlan plan)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(plan);
        foreach (var p in plan.Points) store.Journal.PutStep(plan.SweepId, PointStep(p.Index), new JsonObject { ["runId"] = p.RunId, ["label"] = p.Label });
    }

    /// <summary>Adds a SLURM submission of <paramref name="indices"/> as job <paramref name="jobId"/>.</summary>
    public static void RecordSubmission(IRunStore store, string sweepId, string jobId, IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(store);
        var step = store.Journal.GetStep(sweepId, SlurmStep) as JsonObject ?? new JsonObject { ["submissions"] = new JsonArray() };
        ((JsonArray)step["submissions"]!).Add(new JsonObject
        {
            ["jobId"] = jobId, ["indices"] = new JsonArray(indices.Select(i => (JsonNode?)i).ToArray()), ["at"] = DateTimeOffset.UtcNow.ToString("O"),
        });
        store.Journal.PutStep(sweepId, SlurmStep, step);
    }

    /// <summary>Every point's state, in index order.</summary>
    public static IReadOnlyList<PointState> States(IRunStore store, SweepPlan plan)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(plan);
        var jobs = Jobs(store, plan.SweepId);
        var now = DateTimeOffset.UtcNow;
        return plan.Points.Select(p =>
        {
            var job = jobs.GetValueOrDefault(p.Index);
            var run = store.Journal.GetRun(p.RunId);
            if (run is null) return new PointState(p, Pending, job, null);
            var state = RunLease.StateOf(run, store.Leases.Get(run.Id), now);
            return new PointState(p, state.Status, job, RunFailures.Reason(run));
        }).ToList();
    }

    /// <summary>The SLURM job element (<c>JOB_INDEX</c>) that each point was last submitted as.</summary>
    private static Dictionary<int, string> Jobs(IRunStore store, string sweepId)
    {
        var jobs = new Dictionary<int, string>();
        foreach (var s in (store.Journal.GetStep(sweepId, SlurmStep)?["submissions"] as JsonArray ?? []).OfType<JsonObject>())
            foreach (var i in (s["indices"] as JsonArray ?? []).Select(n => (int)n!))
                jobs[i] = $"{s["jobId"]}_{i}";
        return jobs;
    }
}

/// <summary>One point of a sweep and how it stands: its state, its SLURM job element (when submitted to SLURM), and why its run failed.</summary>
public sealed record PointState(PlannedPoint Point, string State, string? SlurmJob, string? FailureReason)
{
    public bool Finished => State == RunStates.Finished;
}

/// <summary>
/// Closes a sweep run once every point has ended, finished or failed: whichever process ends the last
/// point (a SLURM element, the local sweep) marks the sweep finished, with how many points did what.
/// A failed point is not retried here; <c>ouro sweep --resume</c> reruns it, and the sweep closes again.
/// </summary>
public static class SweepCompletion
{
    /// <summary>Marks the sweep finished when no point is pending, running or interrupted; true when it did.</summary>
    public static bool CloseIfDone(IRunStore store, SweepPlan plan)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(plan);
        var states = SweepPoints.States(store, plan);
        if (states.Any(s => s.State is not (RunStates.Finished or RunStates.Failed))) return false;
        store.Journal.FinishRun(plan.SweepId, new JsonObject
        {
            ["points"] = states.Count,
            ["finished"] = states.Count(s => s.Finished),
            ["failed"] = new JsonArray(states.Where(s => !s.Finished).Select(s => (JsonNode?)s.Point.Index).ToArray()),
        });
        return true;
    }
}
