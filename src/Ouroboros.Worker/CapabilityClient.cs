using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Ouroboros.Contracts;
using Ouroboros.Sandbox.Protocol;

namespace Ouroboros.Worker;

/// <summary>
/// Sends capability calls to the host and waits for their replies. Calls may come from many
/// candidate threads at once; each carries its own id, so replies can arrive in any order.
/// </summary>
internal sealed class CapabilityClient(FrameChannel channel)
{
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonObject>> _pending = new();
    private long _nextCallId;

    private long _openRun = -1;

    /// <summary>Lends capabilities to run <paramref name="runId"/>; proxies of earlier runs stop working.</summary>
    public void Open(long runId) => Interlocked.Exchange(ref _openRun, runId);

    /// <summary>Ends the current run's loan: a proxy kept alive past its run (in a timer, say) cannot spend the next run's budget.</summary>
    public void Close() => Interlocked.Exchange(ref _openRun, -1);

    public JsonNode? Call(long runId, string capability, string method, JsonArray arguments)
    {
        if (Interlocked.Read(ref _openRun) != runId)
            throw new CapabilityException("run_ended", "this capability belonged to a run that has ended");
        var callId = Interlocked.Increment(ref _nextCallId);
        var reply = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[callId] = reply;
        channel.Write(new JsonObject
        {
            ["type"] = Frames.Call, ["id"] = runId, ["callId"] = callId,
            ["capability"] = capability, ["method"] = method, ["args"] = arguments,
        });
        var frame = reply.Task.GetAwaiter().GetResult();
        if (frame["error"] is JsonObject error)
        {
            var kind = (string?)error["kind"] ?? "capability_error";
            var message = (string?)error["message"] ?? kind;
            if (kind == "budget_exceeded") throw new BudgetExceededException(message);
            throw new CapabilityException(kind, message);
        }
        return frame["result"]?.DeepClone();
    }

    public void Complete(JsonObject replyFrame)
    {
        var callId = (long?)replyFrame["callId"] ?? -1;
        if (_pending.TryRemove(callId, out var waiter)) waiter.TrySetResult(replyFrame);
    }
}
