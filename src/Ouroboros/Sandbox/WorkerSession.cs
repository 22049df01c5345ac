using System.Text.Json.Nodes;
using Ouroboros.Compilation;
using Ouroboros.Safety;
using Ouroboros.Sandbox.Protocol;

namespace Ouroboros.Sandbox;

/// <summary>
/// One program on one worker, from a given invocation on: sends the program, times each invocation
/// (from the worker's 'started', then from each result), serves capability calls, and kills the worker the moment
/// a limit is crossed. Returns where the next worker must resume if this one had to die.
/// </summary>
internal sealed class WorkerSession(
    WorkerProcess worker, ProgramRequest request, CompiledProgram program, SandboxLimits limits,
    int from, InvocationResult?[] results, List<SafetyEvent> events, int depth, long runId)
{
    private readonly RunClock _clock = new();
    private readonly Dictionary<string, ICapability> _capabilities = request.Capabilities.ToDictionary(c => c.Name);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        try { await worker.Channel.WriteAsync(RunFrame(), program.Image, cancellationToken); }
        catch (Exception e) when (e is IOException or ObjectDisposedException) { throw new WorkerUnavailableException("the worker is gone", e); }
        // The worker runs the invocations back to back, so each one starts when the previous one is
        // reported: only the first is announced, once the worker has read and parsed the program's
        // frame. Until then no invocation's clocks run; the worker gets the quiet deadline below to
        // begin.
        int? running = 0;
        var begun = false;
        var reported = -1;
        // After the last invocation the worker owes its 'finished' promptly; a worker that does not
        // send it in time (a finalizer that blocks, a probe that cannot end) is killed, not waited
        // on. The deadline counts from the last result, whatever else arrives: with the policy off a
        // program can write frames of its own, and a stream of them must not keep the worker alive.
        var quiet = System.Diagnostics.Stopwatch.StartNew();
        var quietLimit = TimeSpan.FromSeconds(10) > limits.WallClock ? TimeSpan.FromSeconds(10) : limits.WallClock;
        var read = worker.Incoming.ReadAsync(cancellationToken);
        Task? tick = null;
        while (true)
        {
            if (!read.IsCompleted)
            {
                // One pending delay at a time, however many frames arrive within it.
                tick = tick is null || tick.IsCompleted ? Task.Delay(running is not null ? 20 : 250, cancellationToken) : tick;
                await Task.WhenAny(read, tick);
            }
            cancellationToken.ThrowIfCancellationRequested();
            if (read.IsCompleted)
            {
                JsonObject? frame;
                try { frame = await read; }
                catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException or System.Text.Json.JsonException)
                {
                    return Died(running, reported, $"protocol violation: {e.Message}");
                }
                if (frame is null)
                {
                    // The worker closed its end: let it finish dying, so its exit status and last
                    // words can say why.
                    var exit = running is null ? null : await worker.ExitAsync(TimeSpan.FromSeconds(1));
                    return Died(running, reported, null, exit);
                }
                var wasRunning = running is not null;
                int? next;
                try { next = Handle(frame, ref begun, ref running, ref reported, cancellationToken); }
                catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException or ArgumentException
                                          or IndexOutOfRangeException or KeyNotFoundException or System.Text.Json.JsonException)
                {
                    return Died(running, reported, $"protocol violation: {e.Message}");
                }
                if (next is { } resumeAt) return resumeAt;
                if (wasRunning && running is null) quiet.Restart();
                read = worker.Incoming.ReadAsync(cancellationToken);
            }
            if (running is { } current)
            {
                if (!begun)
                {
                    if (quiet.Elapsed > quietLimit)
                        return Killed(current, RunStatus.Crashed, $"the worker did not begin the program within {quietLimit.TotalSeconds:0} s of receiving it");
                    continue;
                }
                var overWall = _clock.Elapsed > limits.WallClock;
                var overCpu = !overWall && worker.CpuTime() - _cpuAtStart > limits.Cpu;
                // A frame the worker sent is read before the worker is judged: a host too busy to
                // get round to it (its thread pool starved by other work) must not turn a result
                // sent in time into a timeout. The reprieve is bounded, since with the policy off a
                // program can write frames of its own.
                if ((overWall || overCpu) && (read.IsCompleted || worker.Incoming.Pending) && _clock.Elapsed < limits.WallClock + Reprieve)
                    continue;
                if (overWall)
                    return Killed(current, RunStatus.Timeout, $"exceeded the wall-clock limit of {limits.WallClock.TotalMilliseconds:0} ms");
                if (overCpu)
                    return Killed(current, RunStatus.Timeout, $"exceeded the CPU limit of {limits.Cpu.TotalMilliseconds:0} ms");
            }
            else if (quiet.Elapsed > quietLimit)
            {
                worker.Kill();
                lock (events) events.Add(new SafetyEvent(SafetyEventKinds.LeftoverWork, program.Hash, $"the worker did not finish within {quietLimit.TotalSeconds:0} s of its last invocation; killed"));
                return from + reported + 1;
            }
        }
    }

    private TimeSpan _cpuAtStart;

    /// <summary>How long past a limit a frame already sent may still be read before the worker is killed.</summary>
    private static readonly TimeSpan Reprieve = TimeSpan.FromSeconds(1);

    /// <summary>Starts the limits' clocks for invocation <paramref name="index"/> (relative to <c>from</c>).</summary>
    private int Start(int index)
    {
        _clock.Restart();
        _cpuAtStart = worker.CpuTime();
        return index;
    }

    /// <summary>Acts on one frame; returns where to resume when this worker is done with, else null.</summary>
    private int? Handle(JsonObject frame, ref bool begun, ref int? running, ref int reported, CancellationToken cancellationToken)
    {
        if ((long?)frame["id"] != runId) return null;
        switch ((string?)frame["type"])
        {
            case Frames.Started:
                if (begun) throw new InvalidOperationException("a second 'started'");
                begun = true;
                Start(0);
                return null;
            case Frames.Call:
                _ = ServeAsync(frame, cancellationToken);
                return null;
            case Frames.Done:
                var index = (int?)frame["index"] ?? -1;
                if (!begun || running is null || index != running) throw new InvalidOperationException($"done of invocation {index}");
                var status = RunStatusNames.Parse((string?)frame["status"] ?? "crashed");
                Record(from + index, status, frame["result"]?.DeepClone(), (string?)frame["stdout"] ?? "", (string?)frame["error"], (double?)frame["runMs"] ?? 0);
                reported = index;
                if (status is RunStatus.OutputLimit or RunStatus.MemoryLimit) { worker.Kill(); return from + index + 1; }
                var stops = request.StopAtFirstFailure && status != RunStatus.Ok;
                running = from + index + 1 < results.Length && !stops ? Start(index + 1) : null;
                return null;
            case Frames.Finished:
                if (running is not null) throw new InvalidOperationException($"finished before invocation {running} was reported");
                // The worker's own check, and the host's count of the worker's cgroup, which
                // a candidate cannot lie about.
                var extra = worker.ExtraProcesses();
                var reason = (bool?)frame["recycle"] == true ? (string?)frame["reason"] ?? "work left running"
                    : extra > 0 ? $"{extra} process(es) left running in the worker's cgroup" : null;
                if (reason is not null)
                {
                    lock (events) events.Add(new SafetyEvent(SafetyEventKinds.LeftoverWork, program.Hash, reason));
                    worker.Kill();
                }
                return results.Length;
            default:
                return null;
        }
    }

    private JsonObject RunFrame()
    {
        var invocations = new JsonArray();
        foreach (var arguments in request.Invocations.Skip(from)) invocations.Add(arguments.DeepClone());
        var capabilities = new JsonArray();
        foreach (var c in request.Capabilities)
        {
            var properties = new JsonObject();
            foreach (var (key, value) in c.Properties) properties[key] = value?.DeepClone();
            capabilities.Add(new JsonObject { ["name"] = c.Name, ["interface"] = c.Interface, ["properties"] = properties });
        }
        return new JsonObject
        {
            ["type"] = Frames.Run, ["id"] = runId, ["hash"] = program.Hash,
            ["entry"] = new JsonObject { ["type"] = request.Entry.TypeName, ["method"] = request.Entry.MethodName },
            ["invocations"] = invocations, ["capabilities"] = capabilities,
            ["outputBytes"] = limits.OutputBytes, ["stopAtFirstFailure"] = request.StopAtFirstFailure,
        };
    }

    private async Task ServeAsync(JsonObject call, CancellationToken cancellationToken)
    {
        _clock.Pause();
        var reply = new JsonObject { ["type"] = Frames.Reply, ["id"] = runId, ["callId"] = call["callId"]?.DeepClone() };
        try
        {
            var name = (string?)call["capability"] ?? "";
            if (!_capabilities.TryGetValue(name, out var capability))
                throw new CapabilityFault("unknown_capability", $"no capability named '{name}'");
            var arguments = call["args"] as JsonArray ?? [];
            reply["result"] = await WorkerPool.NestedAsync(depth, () =>
                capability.InvokeAsync((string?)call["method"] ?? "", (JsonArray)arguments.DeepClone(), new CapabilityCall(program.Hash, depth), cancellationToken));
        }
        catch (CapabilityFault fault) { reply["error"] = new JsonObject { ["kind"] = fault.Kind, ["message"] = fault.Message }; }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            reply["error"] = new JsonObject { ["kind"] = "capability_error", ["message"] = e.Message };
        }
        finally { _clock.Resume(); }
        try { await worker.Channel.WriteAsync(reply, cancellationToken: cancellationToken); }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException) { } // the worker is gone
    }

    private int Killed(int current, RunStatus status, string why)
    {
        worker.Kill();
        Record(from + current, status, null, "", why, _clock.Elapsed.TotalMilliseconds);
        return from + current + 1;
    }

    /// <summary>The worker ended without saying why: the running invocation is out of memory if the kernel says so, otherwise crashed.</summary>
    private int Died(int? running, int reported, string? why, string? exit = null)
    {
        worker.Kill();
        // Between invocations nothing was running: the worker's end costs no invocation a result.
        if (running is not { } index) return from + reported + 1;
        var oom = worker.OomKilled();
        var detail = why ?? (oom ? "the worker hit its memory limit" : $"the worker died ({exit ?? "still running; killed"}): {FirstLine(worker.Stderr)}");
        Record(from + index, oom ? RunStatus.MemoryLimit : RunStatus.Crashed, null, "", detail, _clock.Elapsed.TotalMilliseconds);
        return from + index + 1;
    }

    private void Record(int index, RunStatus status, JsonNode? result, string stdout, string? error, double runMs)
    {
        results[index] = new InvocationResult(status, result, stdout, error, runMs);
        var kind = status switch
        {
            RunStatus.Timeout => SafetyEventKinds.Timeout,
            RunStatus.MemoryLimit => SafetyEventKinds.MemoryLimit,
            RunStatus.OutputLimit => SafetyEventKinds.OutputLimit,
            RunStatus.Crashed => SafetyEventKinds.Crashed,
            _ => null,
        };
        if (kind is not null) lock (events) events.Add(new SafetyEvent(kind, program.Hash, error ?? kind));
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return string.IsNullOrEmpty(line) ? "no message" : line;
    }
}
