using System.Text.Json.Nodes;
using Ouroboros.Safety;
using Ouroboros.Store;

namespace Ouroboros.Dashboard;

/// <summary><c>/api/runs/{id}/events</c>: the run's safety events, each with the program that raised it (the page links to it).</summary>
internal static class EventsJson
{
    public static JsonArray Of(IRunStore store, string runId) =>
        new(store.Journal.Events(runId).Select(e => (JsonNode?)Event(e)).ToArray());

    public static JsonObject Event(SafetyEvent e) => new()
    {
        ["kind"] = e.Kind, ["program"] = e.ProgramHash, ["detail"] = e.Detail, ["at"] = e.At.ToString("O"),
    };
}
