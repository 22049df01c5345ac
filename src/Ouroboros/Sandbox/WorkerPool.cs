using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Ouroboros.Compilation;
using Ouroboros.Policy;
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
    private readonly ConcurrentBag<WorkerProcess> _idle = [];
    private readonly ConcurrentDictionary<int, SemaphoreSlim> _levels = new();
    private readonly CancellationTokenSource _disposed = new();
    private readonly ConcurrentDictionary<(string, bool), (CompiledProgram?, IReadOnlyList<PolicyViolation>)> _checked = new();
    private long _nextRunId;

    private WorkerPool(WorkerPoolOptions options, Isolation isolation)
    {
        _options = options;
        _isolation = isolation;
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
        await new WorkerSession(worker, request, program, limits, 0, results, [], 0, Interlocked.Increment(ref _nextRunId)).RunAsync(cancellationToken);
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
        var (program, violations) = CompileChecked(request.Source, hash, request.ApplyPolicy);
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
        var level = _levels.GetOrAdd(Depth.Value, _ => new SemaphoreSlim(_options.Workers, _options.Workers));
        await level.WaitAsync(cancellationToken);
        try
        {
            int next = 0, unavailable = 0;
            while (next < results.Length)
            {
                var worker = await AcquireAsync(limits.MemoryMb, cancellationToken);
                var session = new WorkerSession(worker, request, program, limits, next, results, events, Depth.Value, Interlocked.Increment(ref _nextRunId));
                try { next = await session.RunAsync(cancellationToken); }
                catch (WorkerUnavailableException) when (++unavailable < 3)
                {
                    // The worker died while idle (a late callback of an earlier program): take another.
                    worker.Kill();
                    Release(worker);
                    continue;
                }
                catch (OperationCanceledException)
                {
                    // Mid-program, the worker's state is unknown: it serves nobody else.
                    worker.Kill();
                    Release(worker);
                    throw;
                }
                // Without the policy a program may have changed the process in ways no check can see
                // (a registered provider, say): its worker serves no other program.
                if (!request.ApplyPolicy) worker.Kill();
                Release(worker);
                if (request.StopAtFirstFailure && results.Take(next).Any(r => r is { Status: not RunStatus.Ok })) break;
            }
        }
        finally { level.Release(); }
        return Finish(hash, RunStatus.Ok, [], results.OfType<InvocationResult>().ToList(), events, compileMs);
    }

    /// <summary>
    /// Compiles against the fixed reference set and applies the policy. A program that does not
    /// compile there is bound again against the whole framework, so that reaching for a forbidden
    /// API is named as such rather than as a missing type. With the policy off, the whole framework
    /// is available: that mode tests the OS layer alone.
    /// </summary>
    private (CompiledProgram? Program, IReadOnlyList<PolicyViolation> Violations) CompileChecked(string source, string hash, bool policy)
    {
        // A run scores the same program many times: parse, bind and check it once.
        if (_checked.Count > 4096) _checked.Clear();
        return _checked.GetOrAdd((hash, policy), _ => OnLargeStack(() => CompileCheckedUncached(source, hash, policy)));
    }

    /// <summary>
    /// Roslyn and the policy walk recurse over the syntax tree; give them a stack no legal program
    /// can exhaust, since a stack overflow would end the host.
    /// </summary>
    private static T OnLargeStack<T>(Func<T> work)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try { result = work(); }
            catch (Exception e) { failure = e; }
        }, maxStackSize: 256 * 1024 * 1024) { Name = "ouro-compile" };
        thread.Start();
        thread.Join();
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        return result;
    }

    private (CompiledProgram? Program, IReadOnlyList<PolicyViolation> Violations) CompileCheckedUncached(string source, string hash, bool policy)
    {
        try
        {
            if (ProgramBounds.Check(source) is { } tooBig) return (new CompiledProgram(hash, null, [tooBig], 0), []);
            return CompileAndCheck(source, hash, policy);
        }
        catch (InsufficientExecutionStackException)
        {
            return (new CompiledProgram(hash, null, [new CompileDiagnostic(1, 1, ProgramBounds.TooComplex, "the program is nested too deeply to compile")], 0), []);
        }
    }

    private (CompiledProgram? Program, IReadOnlyList<PolicyViolation> Violations) CompileAndCheck(string source, string hash, bool policy)
    {
        if (!policy) return (_compiler.Compile(source, CSharpCompiler.Bind(source, hash, fullFramework: true)), []);
        var compilation = CSharpCompiler.Bind(source, hash);
        var violations = SandboxPolicy.Check(compilation);
        if (violations.Count > 0) return (null, violations);
        var program = _compiler.Compile(source, compilation);
        if (program.Succeeded) return (program, []);
        violations = SandboxPolicy.Check(CSharpCompiler.Bind(source, hash, fullFramework: true));
        return (program, violations);
    }

    /// <summary>
    /// Runs a compiled program in a worker started for it alone and killed after: the design the warm
    /// pool replaces, kept for the benchmark to compare against.
    /// </summary>
    internal async Task<InvocationResult?> RunInFreshWorkerAsync(ProgramRequest request, CancellationToken cancellationToken)
    {
        var hash = ProgramHash.Of(request.Source);
        var (program, _) = CompileChecked(request.Source, hash, request.ApplyPolicy);
        var results = new InvocationResult?[request.Invocations.Count];
        await using var worker = await WorkerProcess.StartAsync(_isolation, request.Limits.MemoryMb, cancellationToken);
        await new WorkerSession(worker, request, program!, request.Limits, 0, results, [], 0, Interlocked.Increment(ref _nextRunId)).RunAsync(cancellationToken);
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

    private async Task<WorkerProcess> AcquireAsync(int memoryMb, CancellationToken cancellationToken)
    {
        var passed = new List<WorkerProcess>();
        try
        {
            while (_idle.TryTake(out var worker))
            {
                if (worker.Dead) { _ = worker.DisposeAsync().AsTask(); continue; }
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
    private async Task<WorkerProcess> StartWorkerAsync(int memoryMb, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            WorkerProcess? worker = null;
            try
            {
                worker = await WorkerProcess.StartAsync(_isolation, memoryMb, cancellationToken);
                await WarmUpAsync(worker, cancellationToken);
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

    private void Release(WorkerProcess worker)
    {
        worker.Programs++;
        if (worker.Dead || worker.Programs >= _options.RecycleAfterPrograms || _disposed.IsCancellationRequested
            || _idle.Count >= 2 * _options.Workers)
        {
            _ = worker.DisposeAsync().AsTask();
            return;
        }
        _idle.Add(worker);
    }

    public async ValueTask DisposeAsync()
    {
        _disposed.Cancel();
        while (_idle.TryTake(out var worker)) await worker.DisposeAsync();
        _isolation.Dispose();
    }
}
