using System.Text.Json.Nodes;
using Ouroboros.Compilation;
using Ouroboros.Safety;
using Ouroboros.Sandbox.Protocol;

namespace Ouroboros.Sandbox;

/// <summary>
/// One program on one worker, from a given invocation on: sends the program, times each invocation
/// (from the worker's 'started', then from each result, by when those frames came off the pipe),
/// serves capability calls, and kills the worker once a limit is crossed. Returns where the next
/// worker must resume if this one had to die.
/// </summary>
internal sealed class WorkerSession(
    WorkerProcess worker, ProgramRequest request, CompiledProgram program, SandboxLimits limits,
    int from, InvocationResult?[] results, List<SafetyEvent> events, int depth, long runId, LevelSlot? slot = null)
{
    /// <summary>
    /// How long past the wall-clock limit a result may reach the host and still count, and so how
    /// long past it the worker is killed: the time for the host's reading thread to be scheduled.
    /// </summary>
    private static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Refused capability calls (over budget, no such capability) one invocation may make before it
    /// is ended: each costs the host a frame, a reply and an event, and refusals are not the
    /// program's work. An honest program meets a refusal once and stops.
    /// </summary>
    internal const int MaxRefusedCalls = 100;

    /// <summary>
    /// The faults that refuse a call before any work is done for it. Other faults (a model's error
    /// or empty answer, say) come after the host waited on a provider: that time was spent serving,
    /// and charging it to the program would time out an honest one whenever a provider is slow.
    /// </summary>
    private static readonly HashSet<string> Refusals =
        [CapabilityFault.BudgetExceeded, "unknown_capability", "unknown_method", "bad_arguments", Arguments.Invalid];

    private readonly RunClock _clock = new();
    private readonly Dictionary<string, ICapability> _capabilities = request.Capabilities.ToDictionary(c => c.Name);
    private TimeSpan _cpuAtStart;

    // The worker runs the invocations back to back, so each one starts when the previous one is
    // reported: only the first is announced, once the worker has read and parsed the program's
    // frame. Until then no invocation's clocks run; the worker gets the quiet deadline to begin.
    private bool _begun;
    private int? _running = 0;
    private int _reported = -1;
    private int _refused;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        try { await worker.Channel.WriteAsync(RunFrame(), program.Image, cancellationToken); }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            var exit = await worker.ExitAsync(TimeSpan.FromSeconds(1));
            throw new WorkerUnavailableException($"the worker was gone when the program was sent ({exit ?? "still running"}): {FirstLine(worker.Stderr)}", e);
        }
        // After the last invocation the worker owes its 'finished' promptly; a worker that does not
        // send it in time (a finalizer that blocks, a probe that cannot end) is killed, not waited
        // on. The deadline counts from the last result, whatever else arrives: with the policy off a
        // program can write frames of its own, and a stream of them must not keep the worker alive.
        // The same deadline bounds the wait for 'started'.
        var quiet = System.Diagnostics.Stopwatch.StartNew();
        var quietLimit = TimeSpan.FromSeconds(10) > limits.WallClock ? TimeSpan.FromSeconds(10) : limits.WallClock;
        Task<bool>? arrival = null;
        Task? tick = null;
        while (true)
        {
            // Everything that has arrived is handled before anything is judged, each frame at the
            // time it came off the pipe, however late the host gets round to it.
            while (worker.Incoming.TryRead(out var frame, out var arrivedAt))
            {
                var wasRunning = _running is not null;
                int? next;
                try { next = Handle(frame, arrivedAt, cancellationToken); }
                catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException or ArgumentException
                                          or IndexOutOfRangeException or KeyNotFoundException or System.Text.Json.JsonException)
                {
                    return Died($"protocol violation: {e.Message}");
                }
                if (next is { } resumeAt) return resumeAt;
                if (wasRunning && _running is null) quiet.Restart();
            }
            arrival ??= worker.Incoming.WaitAsync(cancellationToken);
            if (arrival.IsCompleted)
            {
                bool more;
                try { more = await arrival; }
                catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException or System.Text.Json.JsonException)
                {
                    return Died($"protocol violation: {e.Message}");
                }
                arrival = null;
                if (more) continue;
                // The worker closed its end: let it finish dying, so its exit status and last words
                // can say why.
                return Died(null, await worker.ExitAsync(TimeSpan.FromSeconds(1)));
            }

            if (_running is not null && !_begun)
            {
                if (quiet.Elapsed > quietLimit)
                {
                    worker.Kill();
                    throw new WorkerUnavailableException($"the worker did not begin the program within {quietLimit.TotalSeconds:0} s of receiving it");
                }
            }
            else if (_running is { } invocation)
            {
                if (Volatile.Read(ref _refused) >= MaxRefusedCalls)
                {
                    var refused = $"made {MaxRefusedCalls} capability calls that were refused (over budget, or to no such capability); ended";
                    lock (events) events.Add(new SafetyEvent(SafetyEventKinds.BudgetExceeded, program.Hash, refused));
                    return Killed(invocation, RunStatus.Error, refused);
                }
                if (_clock.Elapsed > limits.WallClock + Slack)
                    return Killed(invocation, RunStatus.Timeout, WallClockExceeded);
                if (worker.CpuTime() - _cpuAtStart > limits.Cpu)
                    return Killed(invocation, RunStatus.Timeout, $"exceeded the CPU limit of {limits.Cpu.TotalMilliseconds:0} ms");
            }
            else if (quiet.Elapsed > quietLimit)
            {
                worker.Kill();
                lock (events) events.Add(new SafetyEvent(SafetyEventKinds.LeftoverWork, program.Hash, $"the worker did not finish within {quietLimit.TotalSeconds:0} s of its last invocation; killed"));
                return from + _reported + 1;
            }

            // One pending delay at a time, however many frames arrive within it.
            tick = tick is null || tick.IsCompleted ? Task.Delay(_running is not null ? 20 : 250, cancellationToken) : tick;
            await Task.WhenAny(arrival, tick);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private string WallClockExceeded => $"exceeded the wall-clock limit of {limits.WallClock.TotalMilliseconds:0} ms";

    /// <summary>Starts the limits' clocks for invocation <paramref name="index"/> (relative to <c>from</c>) at <paramref name="at"/>.</summary>
    private int Start(int index, long at)
    {
        _clock.Restart(at);
        _cpuAtStart = worker.CpuTime();
        Volatile.Write(ref _refused, 0);
        return index;
    }

    /// <summary>Acts on one frame; returns where to resume when this worker is done with, else null.</summary>
    private int? Handle(JsonObject frame, long arrivedAt, CancellationToken cancellationToken)
    {
        if ((long?)frame["id"] != runId) return null;
        switch ((string?)frame["type"])
        {
            case Frames.Started:
                if (_begun) throw new InvalidOperationException("a second 'started'");
                _begun = true;
                Start(0, arrivedAt);
                return null;
            case Frames.Call:
                // A call made after the limit is not served: the kill is on its way.
                // Nor one past the refusals an invocation may make: it is being ended.
                if (_running is not null && _clock.ElapsedAt(arrivedAt) <= limits.WallClock && Volatile.Read(ref _refused) < MaxRefusedCalls)
                    _ = ServeAsync(frame, arrivedAt, cancellationToken);
                return null;
            case Frames.Done:
                var index = (int?)frame["index"] ?? -1;
                if (!_begun || _running is null || index != _running) throw new InvalidOperationException($"done of invocation {index}");
                // A result that came too late is a timeout, whenever the host happens to read it.
                if (_clock.ElapsedAt(arrivedAt) > limits.WallClock + Slack) return Killed(index, RunStatus.Timeout, WallClockExceeded);
                var status = RunStatusNames.Parse((string?)frame["status"] ?? "crashed");
                Record(from + index, status, frame["result"]?.DeepClone(), (string?)frame["stdout"] ?? "", (string?)frame["error"], (double?)frame["runMs"] ?? 0);
                _reported = index;
                if (status is RunStatus.OutputLimit or RunStatus.MemoryLimit) { worker.Kill(); return from + index + 1; }
                var stops = request.StopAtFirstFailure && status != RunStatus.Ok;
                _running = from + index + 1 < results.Length && !stops ? Start(index + 1, arrivedAt) : null;
                return null;
            case Frames.Finished:
                if (_running is not null) throw new InvalidOperationException($"finished before invocation {_running} was reported");
                // The worker's own check, and the host's count of the worker's cgroup, which
                // a candidate cannot lie about.
                var extra = worker.ExtraProcesses();
                if (extra > 0)
                    lock (events) events.Add(new SafetyEvent(SafetyEventKinds.LeftoverWork, program.Hash, $"{extra} process(es) left running in the worker's cgroup"));
                else if ((bool?)frame["recycle"] == true && RetirementEvent(frame) is { } kind)
                    lock (events) events.Add(new SafetyEvent(kind, program.Hash, (string?)frame["reason"] ?? "work left running"));
                if (extra > 0 || (bool?)frame["recycle"] == true) worker.Kill();
                return results.Length;
            default:
                return null;
        }
    }

    /// <summary>
    /// The event a worker's retirement is for the program: <c>leftover_work</c> unless the worker
    /// says it ran out of memory, or none when it retires only to keep the next program clean (the
    /// program's own types reached its JSON caches, say). A worker's word can only lower what the
    /// host records with the policy off, and then the program can forge any frame anyway.
    /// </summary>
    private static string? RetirementEvent(JsonObject frame) => frame.TryGetPropertyValue("event", out var kind)
        ? (string?)kind switch { null => null, SafetyEventKinds.MemoryLimit => SafetyEventKinds.MemoryLimit, _ => SafetyEventKinds.LeftoverWork }
        : SafetyEventKinds.LeftoverWork;

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

    private async Task ServeAsync(JsonObject call, long arrivedAt, CancellationToken cancellationToken)
    {
        var clockCall = _clock.Pause(arrivedAt);
        var served = false;
        var reply = new JsonObject { ["type"] = Frames.Reply, ["id"] = runId, ["callId"] = call["callId"]?.DeepClone() };
        try
        {
            var name = (string?)call["capability"] ?? "";
            if (!_capabilities.TryGetValue(name, out var capability))
                throw new CapabilityFault("unknown_capability", $"no capability named '{name}'");
            var arguments = call["args"] as JsonArray ?? [];
            var caller = new CapabilityCall(program.Hash, depth);
            // The program waits while the host serves it: its level's slot is free meanwhile, and
            // taken again before the answer goes back (that wait is the host's time, not the program's).
            if (slot is not null) await slot.StepAwayAsync();
            try
            {
                reply["result"] = await WorkerPool.NestedAsync(depth, () =>
                    capability.InvokeAsync((string?)call["method"] ?? "", (JsonArray)arguments.DeepClone(), caller, cancellationToken));
            }
            finally
            {
                if (slot is not null) await slot.ReturnAsync(cancellationToken);
            }
            served = !caller.Refused;
            if (!served) Interlocked.Increment(ref _refused);
        }
        catch (CapabilityFault fault)
        {
            // A refusal was not served: its time is the program's (see RunClock), and it counts.
            // Any other fault came after the host served the call.
            served = !Refusals.Contains(fault.Kind);
            if (!served) Interlocked.Increment(ref _refused);
            reply["error"] = new JsonObject { ["kind"] = fault.Kind, ["message"] = fault.Message };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            served = true; // the host worked on it and failed: that time was the host's
            reply["error"] = new JsonObject { ["kind"] = "capability_error", ["message"] = e.Message };
        }
        finally { _clock.End(clockCall, System.Diagnostics.Stopwatch.GetTimestamp(), served); }
        try { await worker.Channel.WriteAsync(reply, cancellationToken: cancellationToken); }
        catch (InvalidDataException e)
        {
            // A reply too large for a frame: the candidate gets an error, not a reply it waits for
            // forever (and this fire-and-forget task no unobserved exception).
            reply.Remove("result");
            reply["error"] = new JsonObject { ["kind"] = "capability_error", ["message"] = e.Message };
            try { await worker.Channel.WriteAsync(reply, cancellationToken: cancellationToken); }
            catch (Exception again) when (again is IOException or ObjectDisposedException or OperationCanceledException) { }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException) { } // the worker is gone
    }

    private int Killed(int current, RunStatus status, string why)
    {
        worker.Kill();
        Record(from + current, status, null, "", why, _clock.Elapsed.TotalMilliseconds);
        return from + current + 1;
    }

    /// <summary>
    /// The worker ended without saying why: the running invocation is out of memory if the kernel
    /// says so, otherwise crashed. Before the program began, nothing is charged to it: the pool
    /// decides (it may have been the previous program's doing, or the inputs').
    /// </summary>
    private int Died(string? why, string? exit = null)
    {
        worker.Kill();
        var oom = worker.OomKilled();
        var detail = why ?? (oom ? "the worker hit its memory limit" : $"the worker died ({exit ?? "still running; killed"}): {FirstLine(worker.Stderr)}");
        if (_running is not { } index)
        {
            // After the last result, before 'finished': the worker was unloading this program and
            // checking for its leftovers, so whatever ended it (a thread it left, a callback) is
            // this program's. No invocation loses its result.
            lock (events) events.Add(new SafetyEvent(SafetyEventKinds.Crashed, program.Hash, $"after the program's last invocation, before it finished: {detail}"));
            return from + _reported + 1;
        }
        if (!_begun) throw new WorkerUnavailableException(detail);
        // In the first invocation on a worker that served another program, the death may be that
        // program's doing (a callback it left that fires now, memory it parked): the pool retries
        // the invocation on a fresh worker, and the program is charged only if it dies there too.
        if (index == 0 && worker.LastProgram is not null)
            throw new WorkerUnavailableException($"while its first invocation ran: {detail}") { MidProgram = true };
        Record(from + index, oom ? RunStatus.MemoryLimit : RunStatus.Crashed, null, "", detail, _clock.Elapsed.TotalMilliseconds);
        return from + index + 1;
    }

    private void Record(int index, RunStatus status, JsonNode? result, string stdout, string? error, double runMs)
    {
        results[index] = new InvocationResult(status, result, stdout, error, runMs);
        try { request.InvocationReported?.Invoke(); }
        catch (Exception) { /* an observer's fault is not the program's, nor the session's */ }
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

    internal static string FirstLine(string text)
    {
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return string.IsNullOrEmpty(line) ? "no message" : line;
    }
}
