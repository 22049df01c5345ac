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

    /// <summary>The run that calls belong to; the host rejects calls for any other.</summary>
    public long RunId { get; set; }

    public JsonNode? Call(string capability, string method, JsonArray arguments)
    {
        var callId = Interlocked.Increment(ref _nextCallId);
        var reply = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[callId] = reply;
        channel.Write(new JsonObject
        {
            ["type"] = Frames.Call, ["id"] = RunId, ["callId"] = callId,
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
