using System.Text.Json.Nodes;
using Ouroboros.Reporting;
using Ouroboros.Stop;
using Ouroboros.Store;

namespace Ouroboros.Dashboard;

/// <summary>
/// <c>/api/runs/{id}</c>: the run's report exactly as <c>ouro report --json</c> prints it (iterations,
/// lineage, verdict, baseline, u(s), transfers, safety, model usage, configuration), plus what the
/// run page needs beside it: the experiment's own tables in a generic shape (so an experiment that
/// contributes a report section gets a page section for free), progress, replays, and the reproducing command.
/// </summary>
internal static class RunDetail
{
    public static JsonObject? Of(IRunStore store, string runId)
    {
        if (RunReportBuilder.Build(store, runId) is not { } report) return null;
        var o = ReportJson.ToJson(report);
        o["error"] = RunFailures.Reason(report.Run);
        o["progress"] = RunListing.Progress(store, report.Run, new IterationTable(store).Iterations(runId));
        o["experimentTables"] = new JsonArray(report.ExperimentTables.Select(t => (JsonNode?)new JsonObject
        {
            ["title"] = t.Title,
            ["caption"] = t.Caption,
            ["columns"] = new JsonArray(t.Columns.Select(c => (JsonNode?)c).ToArray()),
            ["rows"] = new JsonArray(t.Rows.Select(r => (JsonNode?)new JsonArray(r.Select(c => (JsonNode?)c).ToArray())).ToArray()),
            ["note"] = t.Note,
        }).ToArray());
        o["replays"] = Replays(store, runId);
        o["reproduce"] = ReproducingConfig.Command(report.Run);
        return o;
    }

    /// <summary>
    /// The replays of this run (<c>ouro replay</c> stores each as a run whose configuration names the
    /// original): whether the run replays identically, when someone checked. A finished replay's
    /// scores and decisions are compared as <c>ouro replay</c> compares them (<see cref="ReplayComparison"/>);
    /// requests its recording could not answer were known only to that command, so they are not counted here.
    /// </summary>
    private static JsonArray Replays(IRunStore store, string runId) => new(store.Journal.Runs()
        .Where(r => r.Kind == "replay" && r.Config["replayOf"] is JsonValue v && v.TryGetValue<string>(out var of) && of == runId)
        .Select(r =>
        {
            var o = new JsonObject { ["id"] = r.Id, ["status"] = r.Status, ["created"] = r.CreatedAt.ToString("O") };
            if (r.Status == RunStates.Finished)
            {
                var comparison = ReplayComparison.Compare(store, runId, r.Id, []);
                o["outcome"] = comparison["outcome"]!.DeepClone();
                o["mismatches"] = comparison["mismatches"]!.DeepClone();
            }
            return (JsonNode?)o;
        }).ToArray());
}
