using System.Text.Json.Nodes;

namespace Ouroboros.Store;

/// <summary>
/// The bound on a run's remembered steps (<see cref="StoreLimits.StepBytes"/>, <see cref="StoreLimits.RunStepBytes"/>),
/// kept the same way by every store: a step over the limits is not kept, and the first time the run
/// records <see cref="RunRecords.StepsBudgetSpent"/> to say so. What a run has stored is read from the
/// store once, then counted here.
/// </summary>
internal sealed class StepBudget(StoreLimits limits)
{
    private readonly Dictionary<string, long> _stepBytes = [];

    /// <summary>The ways a store reads and writes steps: bytes a run's steps take, a step's value, insert-if-absent, insert-or-replace.</summary>
    public sealed record Access(Func<string, long> StoredBytes, Func<string, string, JsonNode?> Get, Action<string, string, string> InsertIfAbsent, Action<string, string, string> Upsert);

    /// <summary>Stores step <paramref name="key"/> of run <paramref name="runId"/> when within the limits; whether it was kept.</summary>
    public bool Put(string runId, string key, JsonNode value, Access store)
    {
        var json = value.ToJsonString();
        long bytes = System.Text.Encoding.UTF8.GetByteCount(json);
        lock (_stepBytes)
        {
            if (!_stepBytes.TryGetValue(runId, out long stored)) stored = store.StoredBytes(runId);
            if (bytes > limits.StepBytes || stored + bytes > limits.RunStepBytes)
            {
                if (store.Get(runId, RunRecords.StepsBudgetSpent) is null)
                    store.InsertIfAbsent(runId, RunRecords.StepsBudgetSpent, new JsonObject
                    {
                        ["step"] = key, ["bytes"] = bytes, ["stored"] = stored,
                        ["why"] = $"a step of {bytes} bytes is over the store's limit ({limits.StepBytes} per step, {limits.RunStepBytes} per run); " +
                            "such sandbox runs are not remembered, their scores and statuses still are, and a resume re-executes them",
                    }.ToJsonString());
                _stepBytes[runId] = stored;
                return false;
            }
            store.Upsert(runId, key, json);
            _stepBytes[runId] = stored + bytes;
            return true;
        }
    }
}
