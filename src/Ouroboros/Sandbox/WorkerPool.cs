using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Ouroboros.Compilation;
using Ouroboros.Safety;

namespace Ouroboros.Sandbox;

/// <summary>
/// The sandbox: compiles and checks a program in the host, then runs it on a pool of warm,
/// isolated worker processes. A worker that times out, crashes, runs out of memory, floods its
/// output or leaves work behind is killed and replaced; the caller only ever sees a status.
/// Nested runs (an improver's utility call) get their own slots per nesting level, so a pool of
/// any size cannot deadlock on itself.
/// </summary>
public sealed class WorkerPool : ISandbox, IAsyncDisposable
{
    private static readonly AsyncLocal<int> Depth = new();
    private readonly WorkerPoolOptions _options;
    private readonly Isolation _isolation;
    private readonly CSharpCompiler _compiler = new();
    private readonly ProgramChecker _checker;
    private readonly ConcurrentBag<WorkerProcess> _idle = [];
    private readonly ConcurrentDictionary<int, SemaphoreSlim> _levels = new();
    private readonly CancellationTokenSource _disposed = new();
    private long _nextRunId;

    /// <summary>A new id for a session's frames.</summary>
    internal long NextRunId() => Interlocked.Increment(ref _nextRunId);

    private WorkerPool(WorkerPoolOptions options, Isolation isolation)
    {
        _options = options;
        _isolation = isolation;
        _checker = new ProgramChecker(_compiler, options.CompileDeadline);
    }

    /// <summary>True when workers run under bubblewrap; false means plain child processes (said loudly at start).</summary>
    public bool Sandboxed => _isolation.Bubblewrap is not null;

    /// <summary>One line describing the isolation in force.</summary>
    public string Isolation => _isolation.Summary;

    /// <summary>The compiler the pool uses, shared so its cache and warm-up serve every caller.</summary>
    public CSharpCompiler Compiler => _compiler;

    public static async Task<WorkerPool> StartAsync(WorkerPoolOptions? options = null, CancellationToken cancellationToken = default)
    {
        options = (options ?? new WorkerPoolOptions()).Validate();
        HostDescriptors.MarkCloseOnExec();
        var isolation = Sandbox.Isolation.Detect(options.RequireBubblewrap);
        var pool = new WorkerPool(options, isolation);
        if (!pool.Sandboxed) options.Warn($"WARNING: {isolation.Summary}. Results are marked unsandboxed.");
        // Roslyn's first compile costs ~1.5 s: pay it while the workers start.
        pool._warmUp = Task.Run(() =>
        {
            pool._compiler.WarmUp();
            return pool._compiler.Compile(WarmUpSource);
        }, cancellationToken);
        var workers = await Task.WhenAll(Enumerable.Range(0, options.Workers)
            .Select(_ => pool.StartWorkerAsync(options.MemoryMb, cancellationToken)));
        foreach (var worker in workers) pool._idle.Add(worker);
        return pool;
    }

    /// <summary>
    /// What every new worker runs once before it serves anyone: the first program a worker runs pays
    /// for JIT-compiling the worker's own code (25–50 ms), and a program with a time limit of a few
    /// milliseconds must not be charged for that, nor the program after it, on the worker that
    /// replaced the one its timeout killed.
    /// </summary>
    private const string WarmUpSource = """
        public static class WarmUp
        {
            public static int[] Run(int[] xs, string text)
            {
                Console.Write(text);
                return xs.Select(x => x * 2).ToArray();
            }
        }
        """;

    private Task<CompiledProgram> _warmUp = null!;

    private async Task WarmUpAsync(WorkerProcess worker, CancellationToken cancellationToken)
    {
        var program = await _warmUp;
        var arguments = new JsonArray(new JsonArray(1, 2, 3), "warm");
        var request = new ProgramRequest(WarmUpSource, new EntryPoint("WarmUp", "Run"), [arguments, arguments.DeepClone().AsArray()]);
        var limits = new SandboxLimits { WallClock = TimeSpan.FromSeconds(30), Cpu = TimeSpan.FromSeconds(30), MemoryMb = worker.MemoryMb };
        var results = new InvocationResult?[request.Invocations.Count];
        await new WorkerSession(worker, request, program, limits, 0, results, [], 0, NextRunId()).RunAsync(cancellationToken);
        if (worker.Dead || results.Any(r => r?.Status != RunStatus.Ok))
            throw new InvalidOperationException($"a new sandbox worker failed its warm-up: {results.FirstOrDefault(r => r?.Status != RunStatus.Ok)?.Error ?? "it died"} {worker.Stderr.Trim()}");
    }

    public async Task<ProgramRun> RunAsync(ProgramRequest request, CancellationToken cancellationToken = default)
    {
        var limits = request.Limits.Validate();
        var hash = ProgramHash.Of(request.Source);
        var events = new List<SafetyEvent>();
        if (!Sandboxed) events.Add(new SafetyEvent(SafetyEventKinds.UnsandboxedFallback, hash, _isolation.Summary));

        var clock = Stopwatch.StartNew();
        // Awaited, not joined: a compile that runs into its deadline blocks no thread of the caller's.
        var (program, violations) = await _checker.CheckAsync(request.Source, hash, request.ApplyPolicy).WaitAsync(cancellationToken);
        var compileMs = clock.Elapsed.TotalMilliseconds;
        if (violations.Count > 0)
        {
            foreach (var v in violations)
            {
                events.Add(new SafetyEvent(SafetyEventKinds.PolicyViolation, hash, v.ToString()));
                if (v.BudgetCircumvention) events.Add(new SafetyEvent(SafetyEventKinds.BudgetCircumvention, hash, v.ToString()));
            }
            var diagnostics = violations.Select(v => new CompileDiagnostic(v.Line, v.Column, "POLICY", $"{v.Symbol} is not allowed in the sandbox: {v.Rule}")).ToList();
            return Finish(hash, RunStatus.PolicyViolation, diagnostics, [], events, compileMs);
        }
        if (!program!.Succeeded) return Finish(hash, RunStatus.CompileError, program.Diagnostics, [], events, compileMs);

        var results = new InvocationResult?[request.Invocations.Count];
        var slot = new LevelSlot(_levels.GetOrAdd(Depth.Value, _ => new SemaphoreSlim(_options.Workers, _options.Workers)));
        await slot.TakeAsync(cancellationToken);
        try { await new ProgramDispatch(this, request, program, limits, results, events, Depth.Value, slot).RunAsync(cancellationToken); }
        finally { slot.Release(); }
        return Finish(hash, RunStatus.Ok, [], results.OfType<InvocationResult>().ToList(), events, compileMs);
    }

    /// <summary>
    /// Runs a compiled program in a worker started for it alone and killed after: the design the warm
    /// pool replaces, kept for the benchmark to compare against.
    /// </summary>
    internal async Task<InvocationResult?> RunInFreshWorkerAsync(ProgramRequest request, CancellationToken cancellationToken)
    {
        var hash = ProgramHash.Of(request.Source);
        var (program, _) = await _checker.CheckAsync(request.Source, hash, request.ApplyPolicy);
        var results = new InvocationResult?[request.Invocations.Count];
        await using var worker = await WorkerProcess.StartAsync(_isolation, request.Limits.MemoryMb, cancellationToken);
        await new WorkerSession(worker, request, program!, request.Limits, 0, results, [], 0, NextRunId()).RunAsync(cancellationToken);
        return results[0];
    }

    /// <summary>Runs <paramref name="serve"/> one nesting level deeper: how capability calls reach the pool.</summary>
    internal static async Task<T> NestedAsync<T>(int depth, Func<Task<T>> serve)
    {
        Depth.Value = depth + 1;
        return await serve();
    }

    private ProgramRun Finish(string hash, RunStatus status, IReadOnlyList<CompileDiagnostic> diagnostics,
        IReadOnlyList<InvocationResult> invocations, List<SafetyEvent> events, double compileMs) =>
        new(hash, status, diagnostics, invocations, events, compileMs) { Unsandboxed = !Sandboxed };

    /// <summary>
    /// An idle worker with that memory cap, or a new one. An idle worker found dead, which no host
    /// action ended, was ended by something the last program on it left behind: that program's
    /// event, recorded in <paramref name="events"/> (the run that found it), never the next one's.
    /// </summary>
    internal async Task<WorkerProcess> AcquireAsync(int memoryMb, List<SafetyEvent> events, CancellationToken cancellationToken)
    {
        var passed = new List<WorkerProcess>();
        try
        {
            while (_idle.TryTake(out var worker))
            {
                if (worker.Dead)
                {
                    if (worker.DiedOnItsOwn && worker.LastProgram is { } culprit)
                    {
                        var exit = await worker.ExitAsync(TimeSpan.FromSeconds(1)) ?? "exited";
                        lock (events) events.Add(new SafetyEvent(SafetyEventKinds.Crashed, culprit,
                            $"the worker died while idle, after this program finished: {exit}: {WorkerSession.FirstLine(worker.Stderr)}"));
                    }
                    _ = worker.DisposeAsync().AsTask();
                    continue;
                }
                if (worker.MemoryMb == memoryMb) return worker;
                passed.Add(worker);
            }
        }
        finally { foreach (var w in passed) _idle.Add(w); }
        return await StartWorkerAsync(memoryMb, cancellationToken);
    }

    /// <summary>
    /// Starts and warms a worker. A start can fail for passing reasons (the machine briefly out of
    /// processes, say): try again before giving up on the run.
    /// </summary>
    internal async Task<WorkerProcess> StartWorkerAsync(int memoryMb, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            WorkerProcess? worker = null;
            try
            {
                worker = await WorkerProcess.StartAsync(_isolation, memoryMb, cancellationToken);
                await WarmUpAsync(worker, cancellationToken);
                _options.WorkerStarted?.Invoke(worker.ProcessId);
                return worker;
            }
            catch (Exception e) when (e is InvalidOperationException or WorkerUnavailableException && attempt < 3 && !cancellationToken.IsCancellationRequested)
            {
                if (worker is not null) await worker.DisposeAsync();
                await Task.Delay(200 * attempt, cancellationToken);
            }
            catch
            {
                if (worker is not null) await worker.DisposeAsync();
                throw;
            }
        }
    }

    internal void Release(WorkerProcess worker)
    {
        worker.Programs++;
        if (worker.Dead || worker.Programs >= _options.RecycleAfterPrograms || _disposed.IsCancellationRequested
            || _idle.Count >= (_options.IdleWorkers ?? 2 * _options.Workers))
        {
            _ = worker.DisposeAsync().AsTask();
            return;
        }
        _idle.Add(worker);
    }

    public async ValueTask DisposeAsync()
    {
        _disposed.Cancel();
        // All at once: a pool that kept a worker per parallel improver run has a dozen to end.
        var idle = new List<WorkerProcess>();
        while (_idle.TryTake(out var worker)) idle.Add(worker);
        await Task.WhenAll(idle.Select(w => w.DisposeAsync().AsTask()));
        _isolation.Dispose();
    }
}
