using System.Text.Json.Nodes;
using Ouroboros.Stop;
using Ouroboros.Store;

namespace Ouroboros.Dashboard;

/// <summary>
/// <c>/api/runs/{id}/programs/{hash}</c>: one program as this run knows it — its source, the program
/// it was made from and that one's source (the basis of the diff the page draws), the iterations
/// that scored it with the adoption test's decision and reason, its evaluations in the run (without
/// their per-instance rows: those are <c>/evaluations?program=</c>), and the safety events it raised.
/// </summary>
internal static class ProgramDetail
{
    public static JsonObject? Of(IRunStore store, string runId, string hash)
    {
        if (store.Programs.ProgramSource(hash) is not { } source) return null;
        var parent = store.Programs.ProgramParent(hash);
        var known = store.Programs.ProgramsOf(runId).FirstOrDefault(p => p.Hash == hash);
        return new JsonObject
        {
            ["hash"] = hash,
            ["kind"] = known?.Kind,
            ["storedBy"] = known?.StoredBy,
            ["source"] = source,
            ["parent"] = parent,
            // A program stored as its own parent (the seed) has nothing to diff against.
            ["parentSource"] = parent is not null && parent != hash ? store.Programs.ProgramSource(parent) : null,
            ["iterations"] = new JsonArray(new IterationTable(store).Iterations(runId).Where(i => i.ImproverHash == hash).Select(i => (JsonNode?)new JsonObject
            {
                ["t"] = i.T, ["val"] = Math.Round(i.Val, 6), ["test"] = Math.Round(i.Test, 6), ["adopted"] = i.Adopted, ["reason"] = i.Reason,
            }).ToArray()),
            ["evaluations"] = new JsonArray(store.Evaluations.EvaluationsOf(runId, hash).Select(e => (JsonNode?)EvaluationsJson.Row(e, instances: false)).ToArray()),
            ["events"] = new JsonArray(store.Journal.Events(runId).Where(e => e.ProgramHash == hash).Select(e => (JsonNode?)EventsJson.Event(e)).ToArray()),
        };
    }
}
