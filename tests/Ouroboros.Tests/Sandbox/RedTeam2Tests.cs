using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Ouroboros.Safety;
using Ouroboros.Sandbox;

namespace Ouroboros.Tests.Sandbox;

/// <summary>
/// Second red-team round. Each test asserts the sandbox holds: the exact status of the attack, and
/// that the pool then answers an ordinary program correctly and promptly. Attacks that must meet
/// the next program on the same worker run on a pool of one worker of their own, so the victim is
/// certain to share the attacker's process. Each test here once found a hole; they now hold.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class RedTeam2Tests(SandboxFixture sandbox)
{
    private const string Healthy = "public static class Program { public static int Run() => Enumerable.Range(1, 10).Sum(); }";

    /// <summary>How long any one program may take before we call the pool wedged (limits below are 1–3 s).</summary>
    private static readonly TimeSpan Wedged = TimeSpan.FromSeconds(30);

    private static string Program(string body, string members = "") =>
        $"public static class Program {{ {members} public static object Run() {{ {body} }} }}";

    private static Task<WorkerPool> SingleWorkerPoolAsync() =>
        WorkerPool.StartAsync(new WorkerPoolOptions { Workers = 1, Warn = _ => { } });

    private static async Task<(ProgramRun Run, InvocationResult? Result)> RunOnAsync(
        WorkerPool pool, string source, bool policy = true, int timeoutMs = 3000, int memoryMb = 256)
    {
        var run = await pool.RunAsync(new ProgramRequest(source, new EntryPoint("Program", "Run"), [new JsonArray()])
        {
            ApplyPolicy = policy,
            Limits = new SandboxLimits { WallClock = TimeSpan.FromMilliseconds(timeoutMs), Cpu = TimeSpan.FromMilliseconds(timeoutMs * 2), MemoryMb = memoryMb },
        }).WaitAsync(Wedged);
        return (run, run.Invocations.FirstOrDefault());
    }

    private static async Task AssertHealthyAsync(WorkerPool pool)
    {
        var (run, result) = await RunOnAsync(pool, Healthy);
        Assert.Equal(RunStatus.Ok, run.Status);
        Assert.Equal(RunStatus.Ok, result!.Status);
        Assert.Equal(55, (int)result.Result!);
        Assert.Equal("", result.Stdout);
    }

    private Task<(ProgramRun Run, InvocationResult? Result)> RunAsync(string source, bool policy = true, int timeoutMs = 3000, int memoryMb = 256) =>
        RunOnAsync(sandbox.Pool, source, policy, timeoutMs, memoryMb);

    private Task AssertPoolHealthyAsync() => AssertHealthyAsync(sandbox.Pool);

    // ---------------------------------------------------------------- policy on: indirection

    [Fact]
    public async Task Forbidden_apis_reached_through_indirection_are_policy_violations()
    {
        // Each hides the forbidden symbol behind something other than a plain call: the walker must
        // resolve the symbol (or the expression's type) wherever it is named.
        var attacks = new Dictionary<string, string>
        {
            ["method group to delegate"] = Program("Func<string, string> f = Environment.GetEnvironmentVariable; return f(\"PATH\");"),
            ["using alias"] = "using E = System.Environment; " + Program("return E.GetEnvironmentVariable(\"PATH\");"),
            ["using static"] = "using static System.IO.File; " + Program("return ReadAllText(\"/etc/passwd\");"),
            ["generic type argument"] = Program("return new List<System.IO.FileInfo>().Count;"),
            ["default of a barred type"] = Program("return default(System.IO.FileStream);"),
            ["typeof a barred type"] = Program("return typeof(System.IO.File).Name;"),
            ["extension method"] = Program("return \"/etc/passwd\".Slurp();", "static string Slurp(this string path) => System.IO.File.ReadAllText(path);"),
            ["lambda body"] = Program("Func<string> f = () => System.IO.Path.GetTempPath(); return f();"),
            ["var hides Assembly"] = Program("var a = \"\".GetType().Assembly; return 1;"),
            ["Type.GetType by name"] = Program("return Type.GetType(\"System.IO.File\");"),
            ["Activator"] = Program("return Activator.CreateInstance(typeof(object));"),
            ["dynamic"] = Program("dynamic d = 1; return d + 1;"),
            ["Unsafe"] = Program("return System.Runtime.CompilerServices.Unsafe.SizeOf<int>();"),
            ["RuntimeHelpers"] = Program("return System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(typeof(string));"),
            ["MemoryMarshal"] = Program("return System.Runtime.InteropServices.MemoryMarshal.Cast<int, byte>(new int[1]).Length;"),
            ["AppContext"] = Program("AppContext.SetSwitch(\"x\", true); return 1;"),
            ["GC.AllocateUninitializedArray"] = Program("return GC.AllocateUninitializedArray<byte>(10).Length;"),
            ["Console.In"] = Program("return Console.In.ReadLine();"),
            ["Console.OpenStandardInput"] = Program("return Console.OpenStandardInput().ReadByte();"),
            ["GetCommandLineArgs"] = Program("return Environment.GetCommandLineArgs();"),
            ["Thread.Name"] = Program("Thread.CurrentThread.Name = \".NET TP Worker\"; return 1;"),
            ["Thread.Name in an initializer"] = Program("new Thread(() => { }) { Name = \".NET TP Worker\" }.Start(); return 1;"),
            ["AppDomain.ProcessExit"] = Program("AppDomain.CurrentDomain.ProcessExit += (s, e) => { }; return 1;"),
            ["ModuleInitializer attribute"] = Program("return 1;", "[System.Runtime.CompilerServices.ModuleInitializer] internal static void Init() { }"),
            ["Delegate.Method"] = Program("Func<int> f = () => 1; return f.Method.Name;"),
            ["expression trees"] = Program("return System.Linq.Expressions.Expression.Constant(1);"),
            ["Reflection.Emit"] = Program("return new System.Reflection.Emit.DynamicMethod(\"x\", null, null);"),
        };
        foreach (var (name, source) in attacks)
        {
            var (run, _) = await RunAsync(source);
            Assert.True(run.Status == RunStatus.PolicyViolation, $"{name}: {run.Status}");
            Assert.Contains(run.Events, e => e.Kind == SafetyEventKinds.PolicyViolation);
        }
        await AssertPoolHealthyAsync();
    }

    [Fact]
    public async Task Types_forwarded_by_netstandard_to_unreferenced_assemblies_do_not_compile()
    {
        // netstandard.dll is in the reference set and forwards most of the framework. TypeDescriptor
        // (System.ComponentModel, an allowed namespace) would be reflection by another name; it must
        // stay out because its assembly is not referenced.
        foreach (var body in new[]
        {
            "return System.ComponentModel.TypeDescriptor.GetProperties(1).Count;",
            "return typeof(System.Runtime.CompilerServices.CallSite).Name;",
        })
        {
            var (run, _) = await RunAsync(Program(body));
            Assert.Equal(RunStatus.CompileError, run.Status);
            Assert.Contains(run.Diagnostics, d => d.Message.Contains("forwarded", StringComparison.Ordinal));
        }
        await AssertPoolHealthyAsync();
    }

    [Fact]
    public async Task Static_fields_start_fresh_for_every_program()
    {
        // Three runs on a two-worker pool: at least two share a worker, so a static surviving the
        // unload of the load context would show as 2.
        const string counter = "public static class Program { static int n; public static int Run() => ++n; }";
        for (int i = 0; i < 3; i++)
        {
            var (_, result) = await RunAsync(counter);
            Assert.Equal(RunStatus.Ok, result!.Status);
            Assert.Equal(1, (int)result.Result!);
        }
    }

    [Fact]
    public async Task Debug_fail_with_debug_defined_only_crashes_its_own_worker()
    {
        // '#define DEBUG' turns on [Conditional("DEBUG")] calls; Debug.Fail then ends the process
        // through Environment.FailFast. The policy bars Debug (round 3); past the policy it must
        // stay a crash of this one worker, reported as such.
        var source = "#define DEBUG\n" + Program("System.Diagnostics.Debug.Fail(\"bye\"); return 1;");
        var (barred, _) = await RunAsync(source);
        Assert.Equal(RunStatus.PolicyViolation, barred.Status);
        var (_, result) = await RunAsync(source, policy: false);
        Assert.Equal(RunStatus.Crashed, result!.Status);
        await AssertPoolHealthyAsync();
    }

    // ---------------------------------------------------------------- results, exceptions, serialisation

    [Fact]
    public async Task Hostile_return_values_and_exceptions_end_with_a_status()
    {
        // Serialisation and exception messages run candidate code (getters, Message); all of it must
        // stay on the candidate's clock and inside its memory cap.
        var (_, deep) = await RunAsync(Program("object o = 1; for (int i = 0; i < 1000; i++) o = new object[] { o }; return o;"));
        Assert.Equal(RunStatus.Error, deep!.Status);
        Assert.Contains("JsonException", deep.Error);

        var (_, cyclic) = await RunAsync(Program("var l = new List<object>(); l.Add(l); return l;"));
        Assert.Equal(RunStatus.Error, cyclic!.Status);
        Assert.Contains("cycle", cyclic.Error);

        var (_, huge) = await RunAsync(Program("return new string('x', 10_000_000);"));
        Assert.Equal(RunStatus.OutputLimit, huge!.Status);
        Assert.Null(huge.Result);

        // ToString is never called by the serializer: a hanging override is harmless.
        var (_, toString) = await RunAsync(Program("return new G();", "public class G { public int X => 1; public override string ToString() { while (true) { } } }"));
        Assert.Equal(RunStatus.Ok, toString!.Status);
        Assert.Equal(1, (int)toString.Result!["X"]!);

        var (_, getterLoops) = await RunAsync(Program("return new G();", "public class G { public int X { get { while (true) { } } } }"), timeoutMs: 1000);
        Assert.Equal(RunStatus.Timeout, getterLoops!.Status);

        var (_, getterAllocates) = await RunAsync(Program("return new G();",
            "public class G { public int X { get { var l = new List<byte[]>(); while (true) l.Add(new byte[1 << 20]); } } }"), memoryMb: 128);
        Assert.Equal(RunStatus.MemoryLimit, getterAllocates!.Status);

        var (_, messageLoops) = await RunAsync(Program("throw new E();", "class E : Exception { public override string Message { get { while (true) { } } } }"), timeoutMs: 1000);
        Assert.Equal(RunStatus.Timeout, messageLoops!.Status);

        var (_, backtracking) = await RunAsync(Program("return System.Text.RegularExpressions.Regex.IsMatch(new string('a', 40) + \"!\", \"^(a+)+$\");"), timeoutMs: 1000);
        Assert.Equal(RunStatus.Timeout, backtracking!.Status);

        await AssertPoolHealthyAsync();
    }

    [Fact]
    public async Task An_exception_whose_message_throws_is_an_error()
    {
        var (_, result) = await RunAsync(Program("throw new E();", "class E : Exception { public override string Message => throw new InvalidOperationException(\"no message\"); }"));
        Assert.Equal(RunStatus.Error, result!.Status);
        await AssertPoolHealthyAsync();
    }

    [Fact]
    public async Task An_exception_message_is_capped_like_output()
    {
        var (_, result) = await RunAsync(Program("throw new Exception(new string('x', 20_000_000));"), memoryMb: 512);
        Assert.Equal(RunStatus.Error, result!.Status);
        Assert.True(result.Error!.Length <= SandboxLimits.Default.OutputBytes + 1024, $"error of {result.Error.Length} characters");
        await AssertPoolHealthyAsync();
    }

    // ---------------------------------------------------------------- one program poisoning the next (policy on)

    [Fact]
    public async Task A_program_cannot_change_the_next_programs_culture()
    {
        await using var pool = await SingleWorkerPoolAsync();
        const string attackBody = "var c = (System.Globalization.CultureInfo)System.Globalization.CultureInfo.InvariantCulture.Clone();" +
            "c.NumberFormat.NumberDecimalSeparator = \"#\"; System.Globalization.CultureInfo.DefaultThreadCurrentCulture = c; return 1;";
        var (barred, _) = await RunOnAsync(pool, Program(attackBody));
        Assert.Equal(RunStatus.PolicyViolation, barred.Status);
        // Past the policy, the worker restores the default cultures before every program.
        var (_, attack) = await RunOnAsync(pool, Program(attackBody), policy: false);
        Assert.Equal(RunStatus.Ok, attack!.Status);
        var (_, victim) = await RunOnAsync(pool, Program("return double.Parse(\"2.5\") * 2 + \"\";"));
        Assert.Equal(RunStatus.Ok, victim!.Status);
        Assert.Equal("5", (string)victim.Result!);
    }

    [Fact]
    public async Task A_lock_left_on_console_out_does_not_hang_the_next_program()
    {
        await using var pool = await SingleWorkerPoolAsync();
        var (barred, _) = await RunOnAsync(pool, Program("Monitor.Enter(Console.Out); return 1;"));
        Assert.Equal(RunStatus.PolicyViolation, barred.Status);
        var (_, attack) = await RunOnAsync(pool, Program("Monitor.Enter(Console.Out); return 1;"), policy: false);
        Assert.Equal(RunStatus.Ok, attack!.Status);
        var (_, victim) = await RunOnAsync(pool, Program("Console.Write(\"hi\"); return 2;"), timeoutMs: 1000);
        Assert.Equal(RunStatus.Ok, victim!.Status);
        Assert.Equal("hi", victim.Stdout);
    }

    [Fact]
    public async Task A_timer_cannot_run_inside_the_next_program()
    {
        await using var pool = await SingleWorkerPoolAsync();
        var (attackRun, attack) = await RunOnAsync(pool, Program("t = new Timer(_ => Console.Write(\"INJECTED\"), null, 200, 20); return 1;", "static Timer t;"));
        Assert.Equal(RunStatus.Ok, attack!.Status);
        Assert.Contains(attackRun.Events, e => e.Kind == SafetyEventKinds.LeftoverWork);
        var (_, victim) = await RunOnAsync(pool, Program("Thread.Sleep(600); return 2;"));
        Assert.Equal(RunStatus.Ok, victim!.Status);
        Assert.Equal("", victim.Stdout);
    }

    [Fact]
    public async Task A_delayed_continuation_cannot_run_inside_the_next_program()
    {
        await using var pool = await SingleWorkerPoolAsync();
        var (attackRun, attack) = await RunOnAsync(pool, Program("Task.Delay(200).ContinueWith(_ => Console.Write(\"LATE\")); return 1;"));
        Assert.Equal(RunStatus.Ok, attack!.Status);
        Assert.Contains(attackRun.Events, e => e.Kind == SafetyEventKinds.LeftoverWork);
        var (_, victim) = await RunOnAsync(pool, Program("Thread.Sleep(600); return 2;"));
        Assert.Equal("", victim!.Stdout);
    }

    [Fact]
    public async Task A_thread_started_from_the_thread_pool_is_leftover_work()
    {
        await using var pool = await SingleWorkerPoolAsync();
        var (attackRun, attack) = await RunOnAsync(pool, Program(
            "Task.Run(() => new Thread(() => { while (true) { Console.Write(\"X\"); Thread.Sleep(50); } }) { IsBackground = true }.Start()).Wait(); return 1;"));
        Assert.Equal(RunStatus.Ok, attack!.Status);
        Assert.Contains(attackRun.Events, e => e.Kind == SafetyEventKinds.LeftoverWork);
        var (_, victim) = await RunOnAsync(pool, Program("Thread.Sleep(500); return 2;"));
        Assert.Equal("", victim!.Stdout);
    }

    [Fact]
    public async Task A_blocking_finalizer_cannot_wedge_the_pool()
    {
        await using var pool = await SingleWorkerPoolAsync();
        const string finalizer = "class F { ~F() { Thread.Sleep(Timeout.Infinite); } }";
        var (barred, _) = await RunOnAsync(pool, Program("new F(); return 1;", finalizer));
        Assert.Equal(RunStatus.PolicyViolation, barred.Status);
        var (_, attack) = await RunOnAsync(pool, Program("new F(); return 1;", finalizer), policy: false);
        Assert.Equal(RunStatus.Ok, attack!.Status);
        // The worker collects (and waits for finalizers) every 25 programs: run past that point.
        for (int i = 0; i < 30; i++) await AssertHealthyAsync(pool);
    }

    [Fact]
    public async Task A_worker_that_dies_between_programs_is_replaced()
    {
        await using var pool = await SingleWorkerPoolAsync();
        var (_, attack) = await RunOnAsync(pool, Program("t = new Timer(_ => throw new InvalidOperationException(\"late\"), null, 300, -1); return 1;", "static Timer t;"));
        Assert.Equal(RunStatus.Ok, attack!.Status);
        await Task.Delay(1500); // the callback fires and takes the idle worker down
        await AssertHealthyAsync(pool);
    }

    [Fact]
    public async Task A_program_cannot_throttle_the_next_programs_thread_pool()
    {
        await using var pool = await SingleWorkerPoolAsync();
        const string probe = "public static class Program { public static int Run() { ThreadPool.GetMaxThreads(out var w, out _); return w; } }";
        var (_, before) = await RunOnAsync(pool, probe);
        const string throttle = "return ThreadPool.SetMaxThreads(Environment.ProcessorCount, Environment.ProcessorCount);";
        var (barred, _) = await RunOnAsync(pool, Program(throttle));
        Assert.Equal(RunStatus.PolicyViolation, barred.Status);
        var (_, attack) = await RunOnAsync(pool, Program(throttle), policy: false);
        Assert.Equal(RunStatus.Ok, attack!.Status);
        var (_, after) = await RunOnAsync(pool, probe);
        Assert.Equal((int)before!.Result!, (int)after!.Result!);
    }

    [Fact]
    public async Task A_registered_encoding_provider_does_not_run_inside_the_next_program()
    {
        await using var pool = await SingleWorkerPoolAsync();
        const string evil = "sealed class EP : EncodingProvider { public override Encoding GetEncoding(int cp) { Console.Write(\"EVIL\"); return null; } public override Encoding GetEncoding(string n) { Console.Write(\"EVIL\"); return null; } }";
        var (barred, _) = await RunOnAsync(pool, Program("Encoding.RegisterProvider(new EP()); return 1;", evil));
        Assert.Equal(RunStatus.PolicyViolation, barred.Status);
        var (_, attack) = await RunOnAsync(pool, Program("Encoding.RegisterProvider(new EP()); return 1;", evil), policy: false);
        Assert.Equal(RunStatus.Ok, attack!.Status);
        var (_, victim) = await RunOnAsync(pool, Program("return Encoding.GetEncoding(\"utf-8\").WebName + Encoding.GetEncoding(1252 - 1252 + 65001).WebName;"));
        Assert.Equal(RunStatus.Ok, victim!.Status);
        Assert.Equal("utf-8utf-8", (string)victim.Result!);
        Assert.Equal("", victim.Stdout);
    }

    [Fact]
    public async Task Memory_kept_by_a_finished_program_is_not_charged_to_the_next()
    {
        await using var pool = await SingleWorkerPoolAsync();
        const string hoard = "for (int i = 0; i < 150; i++) { var b = new byte[1 << 20]; b.AsSpan().Fill(1); EP.Hoard.Add(b); } Encoding.RegisterProvider(new EP()); return 1;";
        const string provider = "sealed class EP : EncodingProvider { public static readonly List<byte[]> Hoard = new(); public override Encoding GetEncoding(int cp) => null; public override Encoding GetEncoding(string n) => null; }";
        var (barred, _) = await RunOnAsync(pool, Program(hoard, provider));
        Assert.Equal(RunStatus.PolicyViolation, barred.Status);
        // Past the policy (which only --policy off allows), a worker runs one program and is retired.
        var (_, attack) = await RunOnAsync(pool, Program(hoard, provider), policy: false);
        Assert.Equal(RunStatus.Ok, attack!.Status);
        // 80 MB is well inside a 256 MB worker on its own.
        var (_, victim) = await RunOnAsync(pool, Program("var l = new List<byte[]>(); for (int i = 0; i < 80; i++) { var b = new byte[1 << 20]; b.AsSpan().Fill(1); l.Add(b); } return l.Count;"));
        Assert.Equal(RunStatus.Ok, victim!.Status);
        Assert.Equal(80, (int)victim.Result!);
    }

    /// <summary>A utility that only counts the calls served in its name, for one program.</summary>
    private sealed class CountingUtility : ICapability
    {
        private int _calls;
        public int Calls => _calls;
        public string Name => "utility";
        public string Interface => "IUtility";
        public IReadOnlyDictionary<string, JsonNode?> Properties => new Dictionary<string, JsonNode?> { ["Description"] = "counts", ["Budget"] = 1000 };

        public Task<JsonNode?> InvokeAsync(string method, JsonArray arguments, CapabilityCall call, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult<JsonNode?>(1.0);
        }
    }

    [Fact]
    public async Task A_program_cannot_spend_the_next_programs_capability_budget()
    {
        await using var pool = await SingleWorkerPoolAsync();
        const string thief = """
            public static class Program
            {
                static Timer t;
                public static int Run(IUtility utility)
                {
                    t = new Timer(_ => { try { utility.Evaluate("stolen"); } catch (Exception) { } }, null, 200, 20);
                    return 1;
                }
            }
            """;
        const string victimSource = "public static class Program { public static int Run(IUtility utility) { Thread.Sleep(600); return 2; } }";
        var attacker = new CountingUtility();
        var victim = new CountingUtility();
        var uses = new JsonArray(new JsonObject { ["$capability"] = "utility" });
        var first = await pool.RunAsync(new ProgramRequest(thief, new EntryPoint("Program", "Run"), [uses]) { Capabilities = [attacker] }).WaitAsync(Wedged);
        Assert.Equal(RunStatus.Ok, first.Invocations.Single().Status);
        var second = await pool.RunAsync(new ProgramRequest(victimSource, new EntryPoint("Program", "Run"), [uses.DeepClone().AsArray()]) { Capabilities = [victim] }).WaitAsync(Wedged);
        Assert.Equal(RunStatus.Ok, second.Invocations.Single().Status);
        Assert.Equal(0, victim.Calls); // the victim never called its utility
    }

    [Fact]
    public async Task A_small_time_limit_holds_on_a_new_worker_and_on_the_one_that_replaces_a_killed_one()
    {
        // A new worker JIT-compiles its own code on its first program; that must not be charged to a program.
        await using var pool = await SingleWorkerPoolAsync();
        async Task<IReadOnlyList<InvocationResult>> RunThrice(string body, int ms) =>
            (await pool.RunAsync(new ProgramRequest(Program(body), new EntryPoint("Program", "Run"), [new JsonArray(), new JsonArray(), new JsonArray()])
            {
                Limits = new SandboxLimits { WallClock = TimeSpan.FromMilliseconds(ms), Cpu = TimeSpan.FromMilliseconds(ms), MemoryMb = 256 },
            }).WaitAsync(Wedged)).Invocations;
        Assert.All(await RunThrice("return 1;", 25), r => Assert.Equal(RunStatus.Ok, r.Status));
        Assert.Equal(RunStatus.Timeout, (await RunThrice("while (true) { }", 25))[0].Status);
        Assert.All(await RunThrice("return 2;", 25), r => Assert.Equal(RunStatus.Ok, r.Status));
    }

    [Fact]
    public async Task An_interrupt_a_program_leaves_on_its_thread_does_not_reach_the_next_program()
    {
        await using var pool = await SingleWorkerPoolAsync();
        // Barred by the policy since round 3; past it (policy off) it must still not reach the next program.
        var (barred, _) = await RunOnAsync(pool, Program("Thread.CurrentThread.Interrupt(); return 1;"));
        Assert.Equal(RunStatus.PolicyViolation, barred.Status);
        var (_, attack) = await RunOnAsync(pool, Program("Thread.CurrentThread.Interrupt(); return 1;"), policy: false);
        Assert.Equal(RunStatus.Ok, attack!.Status);
        for (int i = 0; i < 3; i++)
        {
            var (_, victim) = await RunOnAsync(pool, Program($"Thread.Sleep(5); return {i};"));
            Assert.Equal((RunStatus.Ok, i), (victim!.Status, (int)victim.Result!));
        }
    }

    [Fact]
    public async Task An_async_local_a_program_sets_does_not_follow_the_next_program()
    {
        await using var pool = await SingleWorkerPoolAsync();
        var (_, attack) = await RunOnAsync(pool, Program("al.Value = 1; return 1;", "static AsyncLocal<int> al = new(a => Console.Write(\"INJECTED \"));"));
        Assert.Equal(RunStatus.Ok, attack!.Status);
        for (int i = 0; i < 2; i++)
        {
            var (_, victim) = await RunOnAsync(pool, Program("return Task.Run(() => 2).Result;"));
            Assert.Equal((RunStatus.Ok, 2, ""), (victim!.Status, (int)victim.Result!, victim.Stdout));
        }
    }

    [Fact]
    public async Task Printing_a_lone_surrogate_is_still_ok()
    {
        // Programs print arbitrary chars (e.g. (char)random.Next()); that is output, not a crash.
        var (_, result) = await RunAsync(Program("Console.Write((char)0xD800); return 1;"));
        Assert.Equal(RunStatus.Ok, result!.Status);
        Assert.Equal(1, (int)result.Result!);
        await AssertPoolHealthyAsync();
    }

    // ---------------------------------------------------------------- the host's own work on candidate source

    [Theory]
    [InlineData("var s = @\"\\\" + ")]       // a verbatim string ending in a backslash once hid what followed
    [InlineData("var s = \"\"\"\n  x\"\n  \"\"\" + ")] // so did a raw string with a quote inside
    public async Task Brackets_after_a_verbatim_or_raw_string_are_still_counted(string opening)
    {
        var source = Program($"{opening}{new string('(', 5_000)}1{new string(')', 5_000)}; return 1;");
        var run = await sandbox.Pool.RunAsync(new ProgramRequest(source, new EntryPoint("Program", "Run"), [new JsonArray()])).WaitAsync(Wedged);
        Assert.Equal(RunStatus.CompileError, run.Status);
        Assert.Equal(ProgramBounds.TooComplex, Assert.Single(run.Diagnostics).Id);
    }

    [Fact]
    public async Task A_deeply_nested_expression_is_rejected_promptly_without_an_exception()
    {
        var source = Program($"return {new string('(', 20_000)}1{new string(')', 20_000)};");
        var run = await sandbox.Pool.RunAsync(new ProgramRequest(source, new EntryPoint("Program", "Run"), [new JsonArray()])).WaitAsync(Wedged);
        Assert.Equal(RunStatus.CompileError, run.Status);
        await AssertPoolHealthyAsync();
    }

    // ---------------------------------------------------------------- OS layer (policy off)

    [BubblewrapFact]
    public async Task Proc_shows_only_the_sandbox_and_no_host_secrets()
    {
        Environment.SetEnvironmentVariable("OUROBOROS_RT2_SECRET", "sk-rt2-must-not-leak");
        var (_, result) = await RunAsync(Program("""
            var pids = System.IO.Directory.GetDirectories("/proc").Select(System.IO.Path.GetFileName).Where(n => n!.All(char.IsDigit)).ToList();
            var dump = new StringBuilder();
            foreach (var pid in pids)
                foreach (var file in new[] { "cmdline", "environ" })
                    try { dump.Append(System.IO.File.ReadAllText($"/proc/{pid}/{file}")).Append('|'); } catch (Exception e) { dump.Append(e.GetType().Name).Append('|'); }
            return new object[] { pids.Count, dump.ToString(), System.IO.Directory.Exists("/sys"), System.IO.Directory.Exists("/root"), System.IO.Directory.Exists("/home"), System.IO.Directory.Exists("/etc") };
            """), policy: false);
        Assert.Equal(RunStatus.Ok, result!.Status);
        var values = result.Result!.AsArray();
        Assert.InRange((int)values[0]!, 1, 2); // bubblewrap's init and the worker: no host process is visible
        var dump = (string)values[1]!;
        Assert.DoesNotContain("sk-rt2", dump);
        Assert.DoesNotContain("testhost", dump);
        Assert.All(values.Skip(2), v => Assert.False((bool)v!)); // no /sys, /root, /home or /etc inside
        await AssertPoolHealthyAsync();
    }

    [BubblewrapFact]
    public async Task Shm_and_tmp_symlinks_stay_inside_the_sandbox()
    {
        var name = $"ouro-rt2-{Guid.NewGuid():N}";
        var (_, result) = await RunAsync(Program($$"""
            try { System.IO.File.WriteAllText("/dev/shm/{{name}}", "x"); } catch (System.IO.IOException) { }
            System.IO.File.CreateSymbolicLink("/tmp/{{name}}", "/proc/1/root");
            return string.Join(",", System.IO.Directory.GetFileSystemEntries("/tmp/{{name}}").Select(System.IO.Path.GetFileName).Order());
            """), policy: false);
        Assert.Equal(RunStatus.Ok, result!.Status);
        Assert.False(File.Exists($"/dev/shm/{name}"));
        Assert.False(File.Exists($"/tmp/{name}"));
        // Through /proc/1/root the program sees only the sandbox's own root.
        var entries = ((string)result.Result!).Split(',');
        Assert.Contains("worker", entries);
        Assert.DoesNotContain("root", entries);
        Assert.DoesNotContain("home", entries);
        await AssertPoolHealthyAsync();
    }

    [BubblewrapFact]
    public async Task The_worker_directory_is_readable_but_not_writable()
    {
        var (_, read) = await RunAsync(Program("return System.IO.File.ReadAllBytes(\"/worker/Ouroboros.Worker.dll\").Length > 0;"), policy: false);
        Assert.Equal(RunStatus.Ok, read!.Status);
        Assert.True((bool)read.Result!);
        var (_, write) = await RunAsync(Program("System.IO.File.WriteAllText(\"/worker/Ouroboros.Worker.dll\", \"x\"); return 1;"), policy: false);
        Assert.Equal(RunStatus.Error, write!.Status);
        await AssertPoolHealthyAsync();
    }

    private const string ExitCodeOf = """
        static int Exit(string file, params string[] args)
        {
            var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(file, args) { RedirectStandardError = true });
            p!.StandardError.ReadToEnd(); p.WaitForExit(); return p.ExitCode;
        }
        """;

    [BubblewrapFact]
    public async Task Mounts_and_mount_namespaces_cannot_be_created()
    {
        var (_, result) = await RunAsync(Program(
            "return new[] { Exit(\"/usr/bin/mount\", \"-t\", \"tmpfs\", \"none\", \"/tmp\"), Exit(\"/usr/bin/unshare\", \"-m\", \"/bin/true\") };", ExitCodeOf), policy: false);
        Assert.Equal(RunStatus.Ok, result!.Status);
        Assert.All(result.Result!.AsArray(), code => Assert.NotEqual(0, (int)code!));
        await AssertPoolHealthyAsync();
    }

    [BubblewrapFact]
    public async Task Nested_user_namespaces_cannot_be_created()
    {
        var (_, result) = await RunAsync(Program(
            "return new[] { Exit(\"/usr/bin/unshare\", \"-r\", \"/bin/true\"), Exit(\"/usr/bin/unshare\", \"-rm\", \"/usr/bin/mount\", \"-t\", \"tmpfs\", \"none\", \"/tmp\") };", ExitCodeOf), policy: false);
        Assert.Equal(RunStatus.Ok, result!.Status);
        Assert.All(result.Result!.AsArray(), code => Assert.NotEqual(0, (int)code!));
        await AssertPoolHealthyAsync();
    }

    [DllImport("libc", SetLastError = true)] private static extern int pipe(int[] fds);
    [DllImport("libc", SetLastError = true)] private static extern int close(int fd);

    [BubblewrapFact]
    public async Task The_hosts_open_descriptors_do_not_reach_the_sandbox()
    {
        // A pipe opened without O_CLOEXEC stands for whatever the host's launcher left open.
        var fds = new int[2];
        Assert.Equal(0, pipe(fds));
        try
        {
            var inode = new FileInfo($"/proc/self/fd/{fds[1]}").LinkTarget!;
            await using var pool = await SingleWorkerPoolAsync(); // started now, so its worker could inherit the pipe
            var (_, result) = await RunOnAsync(pool, Program(
                "return string.Join(\",\", System.IO.Directory.GetFiles(\"/proc/self/fd\").Select(p => { try { return new System.IO.FileInfo(p).LinkTarget; } catch (System.IO.IOException) { return null; } }));"),
                policy: false);
            Assert.Equal(RunStatus.Ok, result!.Status);
            Assert.DoesNotContain(inode, (string)result.Result!);
        }
        finally { close(fds[0]); close(fds[1]); }
    }

    [BubblewrapFact]
    public async Task Killing_every_process_in_reach_only_kills_the_sandbox()
    {
        var (_, result) = await RunAsync(Program("System.Diagnostics.Process.Start(\"/usr/bin/kill\", \"-9 -1\")!.WaitForExit(); Thread.Sleep(2000); return 1;"), policy: false);
        Assert.Equal(RunStatus.Crashed, result!.Status);
        await AssertPoolHealthyAsync();
    }

    [BubblewrapFact]
    public async Task The_hosts_abstract_unix_sockets_are_unreachable()
    {
        var name = $"ouro-rt2-{Guid.NewGuid():N}";
        using var server = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        server.Bind(new UnixDomainSocketEndPoint("\0" + name));
        server.Listen();
        var (_, result) = await RunAsync(Program($$"""
            using var s = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
            s.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint("\0{{name}}"));
            return 1;
            """), policy: false);
        Assert.Equal(RunStatus.Error, result!.Status);
        Assert.Contains("SocketException", result.Error);
        Assert.False(server.Poll(0, SelectMode.SelectRead)); // nobody knocked
        await AssertPoolHealthyAsync();
    }

    // ---------------------------------------------------------------- forged protocol frames (policy off)

    /// <summary>
    /// Members that write raw frames to the worker's protocol output. The worker duplicated its
    /// stdout pipe to a descriptor of 10 or above; the runtime's own write-only pipes (its signal
    /// pipe) are open once, while the protocol pipe is also still open at a low descriptor, so the
    /// protocol is the write-only pipe at 10 or above that a descriptor below 10 also writes to.
    /// The run id is in the name of the program's load context.
    /// </summary>
    private const string Forger = """
        static long RunId() => long.Parse(System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(typeof(Program).Assembly)!.Name!.Split('-')[1]);
        static void Send(string json) => Raw(Encoding.UTF8.GetBytes(json), -1);
        static void Raw(byte[] body, int length)
        {
            var writers = new List<(int Fd, string Pipe)>();
            foreach (var path in System.IO.Directory.GetFiles("/proc/self/fd"))
            {
                try
                {
                    var n = int.Parse(System.IO.Path.GetFileName(path));
                    var target = new System.IO.FileInfo(path).LinkTarget ?? "";
                    var flags = System.IO.File.ReadAllLines($"/proc/self/fdinfo/{n}").First(l => l.StartsWith("flags:"));
                    if (target.StartsWith("pipe:") && (Convert.ToInt32(flags.Substring(6).Trim(), 8) & 3) == 1) writers.Add((n, target));
                }
                catch (System.IO.IOException) { }
            }
            var fd = writers.Single(w => w.Fd >= 10 && writers.Any(o => o.Fd > 2 && o.Fd < 10 && o.Pipe == w.Pipe)).Fd;
            using var s = new System.IO.FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle((IntPtr)fd, false), System.IO.FileAccess.Write, 1);
            var header = new byte[8]; // the JSON's length, then the attachment's (none)
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header, length < 0 ? body.Length : length);
            s.Write(header); s.Write(body); s.Flush();
        }
        """;

    [Fact]
    public async Task Malformed_frames_from_the_worker_end_as_a_crash()
    {
        foreach (var forge in new[]
        {
            "Raw(new byte[] { (byte)'{' }, int.MaxValue);",                                  // a length past the cap
            "Send(new string('[', 1000) + new string(']', 1000));",                          // nesting past the parser's depth
            "Raw(Encoding.UTF8.GetBytes(\"{\\\"type\\\":\"), -1);",                          // not JSON
        })
        {
            var (_, result) = await RunAsync(Program(forge + " Thread.Sleep(2000); return 7;", Forger), policy: false);
            Assert.Equal(RunStatus.Crashed, result!.Status);
            Assert.Contains("protocol violation", result.Error);
        }
        await AssertPoolHealthyAsync();
    }

    [Fact]
    public async Task Frames_with_fields_of_the_wrong_type_end_as_a_crash()
    {
        foreach (var forge in new[]
        {
            "Send(\"{\\\"type\\\":\\\"started\\\",\\\"id\\\":\\\"x\\\"}\");",
            "Send($\"{{\\\"type\\\":\\\"started\\\",\\\"id\\\":{RunId()}}}\");",              // a second 'started'
            "Send($\"{{\\\"type\\\":\\\"done\\\",\\\"id\\\":{RunId()},\\\"index\\\":0,\\\"status\\\":\\\"ok\\\",\\\"runMs\\\":\\\"x\\\"}}\");",
        })
        {
            var (_, result) = await RunAsync(Program(forge + " Thread.Sleep(2000); return 7;", Forger), policy: false);
            Assert.Equal(RunStatus.Crashed, result!.Status);
        }
        await AssertPoolHealthyAsync();
    }

    [Fact]
    public async Task A_forged_done_frame_cannot_stop_the_clock()
    {
        await using var pool = await SingleWorkerPoolAsync();
        var (run, _) = await RunOnAsync(pool, Program(
            "Send($\"{{\\\"type\\\":\\\"done\\\",\\\"id\\\":{RunId()},\\\"index\\\":0,\\\"status\\\":\\\"ok\\\",\\\"result\\\":999,\\\"stdout\\\":\\\"\\\",\\\"runMs\\\":1}}\"); Thread.Sleep(Timeout.Infinite); return 7;",
            Forger), policy: false, timeoutMs: 1000);
        // With the policy off a program can forge its own result; what it cannot do is keep its
        // worker: the host still wants 'finished' within the quiet deadline, and kills it.
        Assert.Single(run.Invocations);
        Assert.Contains(run.Events, e => e.Kind == SafetyEventKinds.LeftoverWork);
        await AssertHealthyAsync(pool);
    }
}
