using System.Diagnostics;
using System.Text.Json.Nodes;
using Ouroboros.Compilation;
using Ouroboros.Safety;
using Ouroboros.Sandbox;

namespace Ouroboros.Tests.Sandbox;

/// <summary>
/// Third red-team round, the host's side: workers that died with the thread that started them, a
/// compile with no deadline, an image too large to send, a flood on standard error, a clock that
/// refused calls stopped, and blame that landed on the program after the culprit. Attacks that must
/// meet the next program on the same worker run on a pool of one worker of their own.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class RedTeam3HostTests(SandboxFixture sandbox)
{
    private const string Healthy = "public static class Program { public static int Run() => Enumerable.Range(1, 10).Sum(); }";

    /// <summary>How long any one program may take before we call the pool wedged.</summary>
    private static readonly TimeSpan Wedged = TimeSpan.FromSeconds(60);

    private static string Program(string body, string members = "") =>
        $"public static class Program {{ {members} public static object Run() {{ {body} }} }}";

    private static Task<WorkerPool> SingleWorkerPoolAsync(TimeSpan? compileDeadline = null, int memoryMb = 256) =>
        WorkerPool.StartAsync(new WorkerPoolOptions
        {
            Workers = 1, MemoryMb = memoryMb, Warn = _ => { }, CompileDeadline = compileDeadline ?? TimeSpan.FromSeconds(10),
        });

    private static ProgramRequest Request(string source, bool policy = true, int timeoutMs = 3000, int memoryMb = 256, params JsonArray[] invocations) =>
        new(source, new EntryPoint("Program", "Run"), invocations.Length > 0 ? invocations : [new JsonArray()])
        {
            ApplyPolicy = policy,
            Limits = new SandboxLimits { WallClock = TimeSpan.FromMilliseconds(timeoutMs), Cpu = TimeSpan.FromMilliseconds(timeoutMs * 2), MemoryMb = memoryMb },
        };

    private static async Task<(ProgramRun Run, InvocationResult? Result)> RunOnAsync(WorkerPool pool, string source, bool policy = true, int timeoutMs = 3000)
    {
        var run = await pool.RunAsync(Request(source, policy, timeoutMs)).WaitAsync(Wedged);
        return (run, run.Invocations.FirstOrDefault());
    }

    private static async Task AssertHealthyAsync(WorkerPool pool)
    {
        var (run, result) = await RunOnAsync(pool, Healthy);
        Assert.Equal(RunStatus.Ok, run.Status);
        Assert.Equal((RunStatus.Ok, 55), (result!.Status, (int)result.Result!));
    }

    // ---------------------------------------------------------------- workers killed at random

    [BubblewrapFact]
    public async Task A_worker_started_from_a_thread_that_then_exits_still_runs_a_long_program()
    {
        // bwrap --die-with-parent kills the worker when the *thread* that started it exits. Here the
        // pool and its worker are started from a thread that exits while a program runs.
        var started = new TaskCompletionSource<WorkerPool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var exit = new ManualResetEventSlim();
        var starter = new Thread(() =>
        {
            try { started.SetResult(SingleWorkerPoolAsync().GetAwaiter().GetResult()); }
            catch (Exception e) { started.SetException(e); }
            exit.Wait();
        });
        starter.Start();
        await using var pool = await started.Task;
        var running = RunOnAsync(pool, Program("Thread.Sleep(3000); return 1;"), timeoutMs: 10_000);
        await Task.Delay(1000);
        exit.Set();
        starter.Join();
        var (run, result) = await running;
        Assert.Equal(RunStatus.Ok, result!.Status);
        Assert.DoesNotContain(run.Events, e => e.Kind == SafetyEventKinds.Crashed);
    }

    // ---------------------------------------------------------------- the compiler

    /// <summary>Nested lambdas over three overloads: overload resolution takes about three times longer per level.</summary>
    private static string NestedLambdas(int depth)
    {
        var names = Enumerable.Range(0, depth).Select(i => $"p{i}").ToList();
        var body = string.Join(" + ", names);
        for (int i = depth - 1; i >= 0; i--) body = $"M({names[i]} => {body})";
        return "public static class Program { static int M(Func<int, int> f) => 0; static int M(Func<string, int> f) => 0; "
             + "static int M(Func<double, int> f) => 0; public static int Run() => " + body + "; }";
    }

    [Fact]
    public async Task A_compile_past_its_deadline_is_a_compile_error_and_holds_up_no_other_program()
    {
        // Depth 10 keeps Roslyn busy for seconds (more under load); the deadline here is 1 s.
        await using var pool = await SingleWorkerPoolAsync(compileDeadline: TimeSpan.FromSeconds(1));
        var slow = pool.RunAsync(Request(NestedLambdas(10)));
        await AssertHealthyAsync(pool);
        var run = await slow.WaitAsync(Wedged);
        Assert.Equal(RunStatus.CompileError, run.Status);
        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("OURO_COMPILE_DEADLINE", diagnostic.Id);
        Assert.Contains("longer than the limit of 1 s", diagnostic.Message);
        // The same program again is the same answer, not another compile: the cached one, as it was.
        var again = await pool.RunAsync(Request(NestedLambdas(10))).WaitAsync(Wedged);
        Assert.Same(run.Diagnostics, again.Diagnostics);
    }

    [Fact]
    public async Task A_program_whose_constants_fold_into_a_huge_image_is_a_compile_error()
    {
        // 16 doublings of an 8-character constant (524,288 characters, under the bound on one
        // constant string), and twenty distinct constants of that length: 20 MB in the image.
        var constants = string.Join(" ", Enumerable.Range(1, 16).Select(i => $"const string c{i} = c{i - 1} + c{i - 1};"))
            + " " + string.Join(" ", Enumerable.Range(0, 20).Select(i => $"public const string d{i} = c16 + \"{i}\";"));
        var source = "public static class Program { const string c0 = \"xxxxxxxx\"; " + constants + " public static int Run() => d0.Length; }";
        var run = await sandbox.Pool.RunAsync(Request(source)).WaitAsync(Wedged);
        Assert.Equal(RunStatus.CompileError, run.Status);
        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal(CSharpCompiler.ImageTooLarge, diagnostic.Id);
        Assert.Contains("16 MB", diagnostic.Message);
    }

    // ---------------------------------------------------------------- every failure is a result

    [Fact]
    public async Task A_frame_too_large_to_send_ends_as_a_crash_naming_the_program_not_an_exception()
    {
        await using var pool = await SingleWorkerPoolAsync();
        const string source = "public static class Program { public static int Run(string s) => s.Length; }";
        var run = await pool.RunAsync(Request(source, invocations: [new JsonArray(new string('x', 68_000_000))])).WaitAsync(Wedged);
        var result = Assert.Single(run.Invocations);
        Assert.Equal(RunStatus.Crashed, result.Status);
        Assert.Contains("exceeds", result.Error);
        Assert.Contains(run.Events, e => e.Kind == SafetyEventKinds.Crashed && e.ProgramHash == run.ProgramHash);
        await AssertHealthyAsync(pool);
    }

    [Fact]
    public async Task A_flood_on_standard_error_is_kept_bounded_by_the_host()
    {
        // Written straight to the worker's standard error (policy off), then the process ends: the
        // crash message is built from what the host kept of it.
        var (_, result) = await RunOnAsync(sandbox.Pool, Program(
            "var e = Console.OpenStandardError(); var line = new byte[20_000_000]; Array.Fill(line, (byte)'x'); e.Write(line); e.Flush(); "
            + "Environment.FailFast(\"bye\"); return 1;"), policy: false, timeoutMs: 10_000);
        Assert.Equal(RunStatus.Crashed, result!.Status);
        Assert.Contains("xxxx", result.Error);
        Assert.True(result.Error!.Length < 2 * StderrTail.MaxChars, $"{result.Error.Length} characters of error kept");
        await AssertHealthyAsync(sandbox.Pool);
    }

    // ---------------------------------------------------------------- refused capability calls

    /// <summary>
    /// A utility past its budget: it refuses every call, with a fault, or, as the real utility does,
    /// by scoring it 0 without running it.
    /// </summary>
    private sealed class RefusingUtility(bool fault) : ICapability
    {
        public string Name => "utility";
        public string Interface => "IUtility";
        public IReadOnlyDictionary<string, JsonNode?> Properties => new Dictionary<string, JsonNode?> { ["Description"] = "refuses", ["Budget"] = 0 };

        public Task<JsonNode?> InvokeAsync(string method, JsonArray arguments, CapabilityCall call, CancellationToken cancellationToken)
        {
            if (fault) throw new CapabilityFault(CapabilityFault.BudgetExceeded, "the utility budget is spent");
            call.Refuse();
            return Task.FromResult<JsonNode?>(0.0);
        }
    }

    /// <summary>A utility that works for 1.5 s and then fails, as a model provider that times out does.</summary>
    private sealed class SlowFailingUtility : ICapability
    {
        public string Name => "utility";
        public string Interface => "IUtility";
        public IReadOnlyDictionary<string, JsonNode?> Properties => new Dictionary<string, JsonNode?> { ["Description"] = "slow", ["Budget"] = 1 };

        public async Task<JsonNode?> InvokeAsync(string method, JsonArray arguments, CapabilityCall call, CancellationToken cancellationToken)
        {
            await Task.Delay(1500, cancellationToken);
            throw new CapabilityFault("model_timeout", "the provider did not answer");
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Refused_calls_kept_in_flight_do_not_stop_the_clock_and_end_the_invocation(bool fault)
    {
        // Two threads alternate refused calls, so one is nearly always in flight: the clock used to
        // stop for all of it and the program ran past its limit.
        const string source = """
            public static class Program
            {
                public static int Run(IUtility utility)
                {
                    void Hammer() { while (true) { try { utility.Evaluate("x"); } catch (Exception) { } } }
                    var other = new Thread(Hammer) { IsBackground = true };
                    other.Start();
                    Hammer();
                    return 1;
                }
            }
            """;
        var request = Request(source, timeoutMs: 2000, invocations: [new JsonArray(new JsonObject { ["$capability"] = "utility" })]) with { Capabilities = [new RefusingUtility(fault)] };
        var run = await sandbox.Pool.RunAsync(request).WaitAsync(Wedged);
        var result = Assert.Single(run.Invocations);
        Assert.Equal(RunStatus.Error, result.Status);
        Assert.Contains("refused", result.Error);
        Assert.Contains(run.Events, e => e.Kind == SafetyEventKinds.BudgetExceeded && e.ProgramHash == run.ProgramHash);
        await AssertHealthyAsync(sandbox.Pool);

        // A call the host served and that then failed (the provider timed out) still stops the clock.
        const string patient = "public static class Program { public static int Run(IUtility utility) { try { utility.Evaluate(\"x\"); } catch (Exception) { } return 1; } }";
        var served = await sandbox.Pool.RunAsync(Request(patient, timeoutMs: 1000, invocations: [new JsonArray(new JsonObject { ["$capability"] = "utility" })])
            with { Capabilities = [new SlowFailingUtility()] }).WaitAsync(Wedged);
        Assert.Equal(RunStatus.Ok, Assert.Single(served.Invocations).Status);
    }

    /// <summary>A utility whose answer is too large for any frame.</summary>
    private sealed class HugeUtility : ICapability
    {
        public string Name => "utility";
        public string Interface => "IUtility";
        public IReadOnlyDictionary<string, JsonNode?> Properties => new Dictionary<string, JsonNode?> { ["Description"] = "huge", ["Budget"] = 1 };

        public Task<JsonNode?> InvokeAsync(string method, JsonArray arguments, CapabilityCall call, CancellationToken cancellationToken) =>
            Task.FromResult<JsonNode?>(new string('x', 68_000_000));
    }

    [Fact]
    public async Task A_capability_reply_too_large_to_send_is_an_error_in_the_candidate_not_a_wait_forever()
    {
        const string source = """
            public static class Program
            {
                public static int Run(IUtility utility)
                {
                    try { utility.Evaluate("x"); return 0; }
                    catch (Exception e) { return e.Message.Contains("exceeds") ? 1 : 2; }
                }
            }
            """;
        var request = Request(source, timeoutMs: 5000, invocations: [new JsonArray(new JsonObject { ["$capability"] = "utility" })]) with { Capabilities = [new HugeUtility()] };
        var run = await sandbox.Pool.RunAsync(request).WaitAsync(Wedged);
        var result = Assert.Single(run.Invocations);
        Assert.Equal(RunStatus.Ok, result.Status);
        Assert.Equal(1, (int)result.Result!);
    }

    private static readonly long Second = Stopwatch.Frequency;

    [Fact]
    public void A_refused_call_does_not_stop_the_clock_once_it_has_ended()
    {
        var clock = new RunClock(() => TimeSpan.Zero);
        long t0 = 1000 * Second;
        clock.Restart(t0);
        var refused = clock.Pause(t0 + Second);
        Assert.Equal(TimeSpan.FromSeconds(1), clock.ElapsedAt(t0 + 2 * Second)); // in flight, fate unknown: stopped
        clock.End(refused, t0 + 3 * Second, served: false);
        Assert.Equal(TimeSpan.FromSeconds(4), clock.ElapsedAt(t0 + 4 * Second)); // charged back
    }

    [Fact]
    public void Alternating_refused_calls_never_stop_the_clock_and_served_ones_still_do()
    {
        var clock = new RunClock(() => TimeSpan.Zero);
        long t0 = 1000 * Second, half = Second / 2;
        clock.Restart(t0);
        // Ten seconds of refused calls, each overlapping the next: one always in flight.
        var previous = clock.Pause(t0);
        for (int i = 1; i <= 20; i++)
        {
            var next = clock.Pause(t0 + i * half);
            clock.End(previous, t0 + i * half + 1, served: false);
            previous = next;
        }
        clock.End(previous, t0 + 10 * Second, served: false);
        Assert.Equal(TimeSpan.FromSeconds(10), clock.ElapsedAt(t0 + 10 * Second));
        // A served call from 11 s to 13 s overlapping a refused one from 12 s to 14 s: only 11–13 s stops the clock.
        var served = clock.Pause(t0 + 11 * Second);
        var refused = clock.Pause(t0 + 12 * Second);
        clock.End(served, t0 + 13 * Second);
        clock.End(refused, t0 + 14 * Second, served: false);
        Assert.Equal(TimeSpan.FromSeconds(13), clock.ElapsedAt(t0 + 15 * Second));
    }

    // ---------------------------------------------------------------- blame lands on the culprit

    [Fact]
    public async Task A_worker_that_dies_after_a_programs_last_result_is_that_programs_event()
    {
        await using var pool = await SingleWorkerPoolAsync();
        // The thread throws while the worker unloads the program and looks for its leftovers.
        var (culprit, attack) = await RunOnAsync(pool, Program("new Thread(() => { Thread.Sleep(50); throw new InvalidOperationException(\"late\"); }).Start(); return 1;"));
        Assert.Contains(culprit.Events, e => e.Kind is SafetyEventKinds.Crashed or SafetyEventKinds.LeftoverWork && e.ProgramHash == culprit.ProgramHash);
        var (victim, result) = await RunOnAsync(pool, Healthy);
        Assert.Equal((RunStatus.Ok, 55), (result!.Status, (int)result.Result!));
        Assert.Empty(victim.Events);
    }

    /// <summary>
    /// The culprit is named: in the victim's run, where its leftover killed the worker, or in its
    /// own, should the worker's probe learn to see that leftover and retire the worker at once.
    /// </summary>
    private static void AssertCharged(ProgramRun culprit, ProgramRun victim) =>
        Assert.Contains(culprit.Events.Concat(victim.Events),
            e => e.Kind is SafetyEventKinds.Crashed or SafetyEventKinds.LeftoverWork && e.ProgramHash == culprit.ProgramHash);

    /// <summary>
    /// A one-worker pool whose worker's process id the test can read: the policy now bars every way
    /// a program had of leaving behind work that kills its worker later unseen (registered waits,
    /// finalizers, FromAsync), so these tests kill the worker as such a leftover would.
    /// </summary>
    private static async Task<(WorkerPool Pool, Func<int> Pid)> KillablePoolAsync(int memoryMb = 256)
    {
        int pid = 0;
        var pool = await WorkerPool.StartAsync(new WorkerPoolOptions
        {
            Workers = 1, MemoryMb = memoryMb, Warn = _ => { }, WorkerStarted = p => Volatile.Write(ref pid, p),
        });
        return (pool, () => Volatile.Read(ref pid));
    }

    private static void KillFromOutside(int pid)
    {
        using var process = Process.GetProcessById(pid);
        process.Kill();
        process.WaitForExit(5000);
    }

    [Fact]
    public async Task A_worker_that_dies_before_the_next_program_began_charges_the_program_before_it()
    {
        var (pool, pid) = await KillablePoolAsync(memoryMb: 1024);
        await using var _ = pool;
        const string victimSource = "public static class Program { public static int Run(int[] xs) => xs.Length; }";
        var numbers = new JsonArray(new JsonArray(Enumerable.Range(0, 1_000_000).Select(i => (JsonNode)JsonValue.Create(i)).ToArray()));
        var culprit = await pool.RunAsync(Request(Program("return 1;"), memoryMb: 1024)).WaitAsync(Wedged);
        Assert.Equal(RunStatus.Ok, culprit.Invocations.Single().Status);
        KillFromOutside(pid()); // the culprit's unseen leftover ends its worker while it is idle
        var victim = await pool.RunAsync(Request(victimSource, memoryMb: 1024, invocations: [numbers])).WaitAsync(Wedged);

        var result = Assert.Single(victim.Invocations);
        Assert.Equal((RunStatus.Ok, 1_000_000), (result.Status, (int)result.Result!));
        Assert.DoesNotContain(victim.Events, e => e.ProgramHash == victim.ProgramHash);
        AssertCharged(culprit, victim);
    }

    [Fact]
    public async Task A_worker_killed_by_the_previous_programs_leftover_during_the_next_programs_first_invocation_is_retried()
    {
        var (pool, pid) = await KillablePoolAsync();
        await using var _ = pool;
        var victimSource = Program("Thread.Sleep(1000); return 2;");
        await RunOnAsync(pool, victimSource); // compiled before the culprit runs
        var (culprit, attack) = await RunOnAsync(pool, Program("return 1;"));
        Assert.Equal(RunStatus.Ok, attack!.Status);
        var running = RunOnAsync(pool, victimSource);
        await Task.Delay(300);
        KillFromOutside(pid()); // the culprit's leftover ends the worker inside the victim's first invocation
        var (victim, result) = await running;
        Assert.Equal(RunStatus.Ok, result!.Status);
        Assert.Equal(2, (int)result.Result!);
        Assert.DoesNotContain(victim.Events, e => e.ProgramHash == victim.ProgramHash);
        // A death inside the victim's first invocation may be the victim's own doing (it can tell
        // a used worker from a fresh one): it names no one. (On a loaded machine the kill can land
        // before the victim began; then the culprit is rightly named for that.)
        Assert.All(culprit.Events.Concat(victim.Events).Where(e => e.ProgramHash == culprit.ProgramHash),
            e => Assert.Contains("before the next program began", e.Detail));

        // A program that dies on its own is still charged, after its retry on a fresh worker.
        var (crasher, crash) = await RunOnAsync(pool, "#define DEBUG\n" + Program("System.Diagnostics.Debug.Fail(\"bye\"); return 1;"), policy: false);
        Assert.Equal(RunStatus.Crashed, crash!.Status);
        Assert.Contains(crasher.Events, e => e.Kind == SafetyEventKinds.Crashed && e.ProgramHash == crasher.ProgramHash);
        Assert.DoesNotContain(crasher.Events, e => e.ProgramHash != crasher.ProgramHash);
    }

    [Fact]
    public async Task A_program_that_dies_only_on_a_used_worker_cannot_frame_the_program_before_it()
    {
        await using var pool = await SingleWorkerPoolAsync();
        var (honest, ok) = await RunOnAsync(pool, Program("var sum = 0L; Parallel.For(0, 1000, i => Interlocked.Add(ref sum, i)); return sum;"));
        Assert.Equal(RunStatus.Ok, ok!.Status);
        // On a used worker (its pool has done work) it overflows its stack; on a fresh one it returns.
        var (framer, result) = await RunOnAsync(pool, Program(
            "if (ThreadPool.CompletedWorkItemCount > 2) return Down(0); return \"fresh\";", "static int Down(int n) => n == int.MinValue ? 0 : Down(n - 1) + 1;"));
        Assert.Equal((RunStatus.Ok, "fresh"), (result!.Status, (string)result.Result!));
        Assert.DoesNotContain(honest.Events.Concat(framer.Events), e => e.ProgramHash == honest.ProgramHash);
    }

    [Fact]
    public async Task Arguments_no_fresh_worker_can_take_in_fail_the_invocations_without_blaming_the_program()
    {
        // Too much for a 128 MB worker to parse: the cause is the inputs, which the caller chose.
        var run = await sandbox.Pool.RunAsync(new ProgramRequest(
            "public static class Program { public static int Run(int[] xs) => xs.Length; }", new EntryPoint("Program", "Run"),
            Enumerable.Repeat(0, 20).Select(_ => new JsonArray(new JsonArray(Enumerable.Range(0, 400_000).Select(i => (JsonNode)JsonValue.Create(i)).ToArray()))).ToList())
        { Limits = new SandboxLimits { MemoryMb = 128 } }).WaitAsync(Wedged);
        Assert.Equal(20, run.Invocations.Count);
        Assert.All(run.Invocations, i => Assert.Equal(RunStatus.Crashed, i.Status));
        Assert.Contains("before the program began", run.Invocations[0].Error);
        Assert.DoesNotContain(run.Events, e => e.ProgramHash == run.ProgramHash);
    }
}
