using System.Text.Json.Nodes;
using Ouroboros.Store;

namespace Ouroboros.Dashboard;

/// <summary>
/// <c>/api/runs/{id}/evaluations[?program=HASH]</c>: the run's evaluations in the order they were stored,
/// each a program on a task's split with its utility, statuses, time and every instance's
/// <c>{seed, score, status, ms}</c>.
/// </summary>
internal static class EvaluationsJson
{
    public static JsonArray Of(IRunStore store, string runId, string? program) =>
        new(store.Evaluations.EvaluationsOf(runId, string.IsNullOrEmpty(program) ? null : program).Select(e => (JsonNode?)Row(e, instances: true)).ToArray());

    public static JsonObject Row(EvaluationRow e, bool instances)
    {
        var o = new JsonObject
        {
            ["program"] = e.ProgramHash, ["task"] = e.Task, ["split"] = e.Split, ["seeds"] = e.Seeds,
            ["utility"] = Math.Round(e.Utility, 6), ["statuses"] = e.Statuses.DeepClone(), ["ms"] = Math.Round(e.RunMs, 2),
            ["count"] = e.Instances.Count,
        };
        if (instances) o["instances"] = e.Instances.DeepClone();
        return o;
    }
}
