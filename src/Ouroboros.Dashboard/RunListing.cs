using System.Text.Json.Nodes;
using Ouroboros.Reporting;
using Ouroboros.Runs;
using Ouroboros.Stop;
using Ouroboros.Store;

namespace Ouroboros.Dashboard;

/// <summary>
/// <c>/api/runs</c>: every run, newest first, as <c>ouro runs --json</c> lists it (<see cref="ReportJson.Summary"/>)
/// plus what the runs page compares them by: progress, the seed and final meta-utility, the
/// baseline, and safety counts. A few small queries per run, none that reads a run's evaluations.
/// </summary>
internal static class RunListing
{
    public static JsonArray All(IRunStore store)
    {
        var leases = store.Leases.All().ToDictionary(l => l.RunId);
        var now = DateTimeOffset.UtcNow;
        var iterations = new IterationTable(store);
        return new JsonArray(store.Journal.Runs().Select(run =>
        {
            var row = ReportJson.Summary(run, RunLease.StateOf(run, leases.GetValueOrDefault(run.Id), now));
            if (RunFailures.Reason(run) is { } reason) row["error"] = reason;
            var its = iterations.Iterations(run.Id);
            row["progress"] = Progress(store, run, its);
            row["seed"] = its.FirstOrDefault(i => i.T == 0) is { } seed ? Point(seed) : null;
            row["final"] = (its.LastOrDefault(i => i.Adopted) ?? its.FirstOrDefault(i => i.T == 0)) is { } final ? Point(final) : null;
            row["baseline"] = run.Result?["baseline"] is JsonObject b ? new JsonObject { ["val"] = MeanOf(b, "val"), ["test"] = MeanOf(b, "test") } : null;
            var counts = store.Journal.EventCounts(run.Id);
            var byKind = new JsonObject();
            foreach (var (kind, n) in counts.OrderBy(c => c.Key, StringComparer.Ordinal)) byKind[kind] = n;
            row["safety"] = new JsonObject { ["total"] = counts.Values.Sum(), ["byKind"] = byKind };
            return (JsonNode?)row;
        }).ToArray());
    }

    /// <summary>
    /// How far a run has got, from what it has stored: iterations scored of those configured (t = 0 is the
    /// seed improver, so a run of T iterations scores T + 1), and evaluations so far.
    /// </summary>
    public static JsonObject Progress(IRunStore store, RunRow run, IReadOnlyList<IterationRow> iterations) => new()
    {
        ["iterations"] = iterations.Count == 0 ? 0 : iterations.Max(i => i.T),
        ["iterationsPlanned"] = run.Config["iterations"] is JsonValue v && v.TryGetValue<int>(out var planned) ? planned : null,
        ["evaluations"] = store.Evaluations.EvaluationCount(run.Id),
    };

    /// <summary>The baseline's mean over its runs on a split, as the report gives it; the stored value when the runs were not kept.</summary>
    private static double? MeanOf(JsonObject baseline, string split)
    {
        var runs = baseline[split + "Runs"] as JsonArray;
        if (runs is { Count: > 0 }) return Math.Round(runs.Average(r => (double)r!), 6);
        return baseline[split] is JsonValue v && v.TryGetValue<double>(out var d) ? Math.Round(d, 6) : null;
    }

    private static JsonObject Point(IterationRow i) => new() { ["t"] = i.T, ["improver"] = i.ImproverHash, ["val"] = Math.Round(i.Val, 6), ["test"] = Math.Round(i.Test, 6) };
}
