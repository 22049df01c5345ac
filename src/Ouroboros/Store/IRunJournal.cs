using System.Text.Json.Nodes;
using Ouroboros.Safety;

namespace Ouroboros.Store;

/// <summary>
/// The run journal: runs (kind, status, configuration, result), the finished steps a resumed run
/// skips, and the safety events runs raise. Each write is whole: a run killed at any point leaves
/// complete records only.
/// </summary>
public interface IRunJournal
{
    void CreateRun(string id, string kind, JsonObject config);
    void SetStatus(string id, string status);
    void FinishRun(string id, JsonObject result);
    RunRow? GetRun(string id);

    /// <summary>Every run, newest first.</summary>
    IReadOnlyList<RunRow> Runs();

    /// <summary>Remembers a finished unit of work; false when it is over the store's limits and was not kept (a resume re-executes it).</summary>
    bool PutStep(string runId, string key, JsonNode value);
    JsonNode? GetStep(string runId, string key);

    void AddEvents(string runId, IEnumerable<SafetyEvent> events);
    IReadOnlyDictionary<string, int> EventCounts(string runId);
    IReadOnlyList<SafetyEvent> Events(string runId);

    /// <summary>Marks a run <c>failed</c> and keeps why, as its result <c>{"error": reason}</c>; a resume that finishes it replaces both.</summary>
    void FailRun(string id, string reason);
}

/// <summary>Why a stored run failed, when it did and said so (<see cref="IRunJournal.FailRun"/>).</summary>
public static class RunFailures
{
    public static string? Reason(RunRow run) =>
        run.Status == RunStates.Failed && run.Result?["error"] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var reason) ? reason : null;
}
