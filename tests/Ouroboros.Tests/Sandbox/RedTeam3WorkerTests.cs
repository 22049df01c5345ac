using System.Text.Json.Nodes;
using Ouroboros.Compilation;
using Ouroboros.Policy;
using Ouroboros.Safety;
using Ouroboros.Sandbox;

namespace Ouroboros.Tests.Sandbox;

/// <summary>
/// Third red-team round, the worker's side: process-wide state a program could leave for the next
/// one on the same worker, leftover work the probe could not see, barred members reached through
/// allowed types, and labels. Attacks meant for the next program run on a pool of one worker, so
/// the victim is certain to share the attacker's process.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class RedTeam3WorkerTests(SandboxFixture sandbox)
{
    private static readonly TimeSpan Wedged = TimeSpan.FromSeconds(60);

    private static string Program(string body, string members = "") =>
        $"public static class Program {{ {members} public static object Run() {{ {body} }} }}";

    private static IReadOnlyList<PolicyViolation> Check(string source) =>
        SandboxPolicy.Check(CSharpCompiler.Bind(source, "0000000000000000"));

    private static async Task<(ProgramRun Run, InvocationResult? Result)> RunOnAsync(
        WorkerPool pool, string source, bool policy = true, int timeoutMs = 5000, int memoryMb = 256)
    {
        var run = await pool.RunAsync(new ProgramRequest(source, new EntryPoint("Program", "Run"), [new JsonArray()])
        {
            ApplyPolicy = policy,
            Limits = new SandboxLimits { WallClock = TimeSpan.FromMilliseconds(timeoutMs), Cpu = TimeSpan.FromMilliseconds(timeoutMs * 2), MemoryMb = memoryMb },
        }).WaitAsync(Wedged);
        return (run, run.Invocations.FirstOrDefault());
    }

    // ---------------------------------------------------------------- class 1: process-wide state

    [Theory]
    [InlineData("var a = System.Buffers.ArrayPool<byte>.Shared.Rent(16); System.Buffers.ArrayPool<byte>.Shared.Return(a); return a;", "shared buffer pools")]
    [InlineData("using var m = System.Buffers.MemoryPool<char>.Shared.Rent(16); return m.Memory.Length;", "shared buffer pools")]
    [InlineData("return string.Intern(new string('x', 1000));", "intern pool")]
    [InlineData("return string.IsInterned(\"x\");", "intern pool")]
    [InlineData("Thread.SetData(Thread.AllocateNamedDataSlot(\"s\"), new byte[10]); return 1;", "data slots")]
    [InlineData("return Thread.GetData(Thread.GetNamedDataSlot(\"s\"));", "data slots")]
    [InlineData("Thread.CurrentThread.Priority = ThreadPriority.Lowest; return 1;", "priorities")]
    [InlineData("var m = new Mutex(true, \"ouro\"); return 1;", "named system objects")]
    [InlineData("var s = new Semaphore(0, 1, \"ouro\"); return 1;", "named system objects")]
    [InlineData("var e = new EventWaitHandle(false, EventResetMode.AutoReset, \"ouro\"); return 1;", "named system objects")]
    [InlineData("return EventWaitHandle.OpenExisting(\"ouro\");", "named system objects")]
    public void Process_wide_state_is_barred(string body, string reason)
    {
        var violations = Check(Program(body));
        Assert.Contains(violations, v => v.Rule.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Unnamed_wait_handles_and_plain_locks_stay_allowed()
    {
        Assert.Empty(Check(Program("using var e = new ManualResetEvent(false); using var a = new AutoResetEvent(true); var o = new object(); lock (o) { } return e.WaitOne(0);")));
        Assert.Empty(Check(Program("return Squares().Sum();", "static IEnumerable<int> Squares() { var o = new object(); for (int i = 0; i < 3; i++) { lock (o) { } yield return i * i; } }")));
    }

    [Theory]
    // Stream.CopyTo hands Write the rented array itself: an override can keep it after it went back to the pool.
    [InlineData("sealed class Keep : System.IO.Stream { public static byte[] Kept; public override void Write(byte[] b, int o, int c) => Kept = b; public override bool CanRead => false; public override bool CanSeek => false; public override bool CanWrite => true; public override long Length => 0; public override long Position { get; set; } public override void Flush() { } public override int Read(byte[] b, int o, int c) => 0; public override long Seek(long o, System.IO.SeekOrigin s) => 0; public override void SetLength(long v) { } }")]
    [InlineData("sealed class Keep : System.IO.TextWriter { public override Encoding Encoding => Encoding.UTF8; public override void Write(char[] b, int i, int c) { } }")]
    // Interpolation hands TryFormat a rented span that still holds what an earlier program formatted.
    [InlineData("readonly struct Spy : ISpanFormattable { public string ToString(string f, IFormatProvider p) => \"\"; public bool TryFormat(Span<char> d, out int w, ReadOnlySpan<char> f, IFormatProvider p) { w = 0; return true; } }")]
    public void Types_the_library_hands_pooled_buffers_are_barred(string members) =>
        Assert.Contains(Check(Program("return 1;", members)), v => v.Rule.Contains("shared pools"));

    [Fact]
    public void A_lock_held_across_yield_is_barred()
    {
        // Abandoned after its first element, the iterator never leaves the lock: the worker's reused
        // candidate thread would hold typeof(string)'s monitor while later programs run.
        const string iterator = "static IEnumerable<int> Held() { lock (typeof(string)) { yield return 1; } }";
        var violations = Check(Program("return Held().First();", iterator));
        Assert.Contains(violations, v => v.Symbol == "yield inside lock");
        // A lock inside a lambda of an iterator is the lambda's own, released before any yield.
        Assert.Empty(Check(Program("return Fine().First();", "static IEnumerable<int> Fine() { Action a = () => { lock (typeof(string)) { } }; a(); yield return 1; }")));
    }

    [Fact]
    public async Task Memory_kept_by_a_process_wide_cache_retires_the_worker_and_spares_the_next_program()
    {
        // Regex's static cache outlives the program that filled it, with all the policy allows: three
        // 6-million-character patterns keep about 84 MB of a 192 MB heap (patterns and parse trees).
        // The worker must notice the heap did not come back after the unload, name this program,
        // and retire, so the next program gets its whole limit.
        await using var pool = await WorkerPool.StartAsync(new WorkerPoolOptions { Workers = 1, Warn = _ => { } });
        var (attackRun, attack) = await RunOnAsync(pool, Program(
            "int n = 0; for (int i = 0; i < 3; i++) { var p = new string((char)('a' + i), 6_000_000); if (System.Text.RegularExpressions.Regex.IsMatch(\"b\", p)) n++; } return n;"),
            timeoutMs: 30_000);
        Assert.Equal(RunStatus.Ok, attack!.Status);
        var outlived = Assert.Single(attackRun.Events, e => e.Kind == SafetyEventKinds.LeftoverWork);
        Assert.Contains("outlived the program", outlived.Detail);
        Assert.Equal(attackRun.ProgramHash, outlived.ProgramHash);

        // 150 MB is well inside a 256 MB worker (192 MB heap) on its own.
        var (_, victim) = await RunOnAsync(pool, Program(
            "var l = new List<byte[]>(); for (int i = 0; i < 150; i++) { var b = new byte[1 << 20]; b.AsSpan().Fill(1); l.Add(b); } return l.Count;"),
            timeoutMs: 30_000);
        Assert.Equal((RunStatus.Ok, 150), (victim!.Status, (int)victim.Result!));
    }

    [Fact]
    public async Task Running_out_of_memory_on_purpose_cannot_break_library_types_for_later_programs()
    {
        // Fill the heap, then touch library generic statics for the first time inside a catch: their
        // type initializers fail, and the runtime remembers that for the life of the process. Every
        // later program that sorted used to fail with TypeInitializationException.
        await using var pool = await WorkerPool.StartAsync(new WorkerPoolOptions { Workers = 1, Warn = _ => { } });
        const string members = """
            [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
            static void Touch() { try { _ = Comparer<int>.Default; } catch { } try { _ = Comparer<double>.Default; } catch { } }
            """;
        const string fill = """
            var hold = new List<object>(1 << 20); int[] sizes = { 1 << 20, 1 << 14, 1 << 8, 8 };
            for (int k = 0; k < 4; k++) { int fails = 0; while (fails < 50) { try { hold.Add(new byte[sizes[k]]); fails = 0; } catch (OutOfMemoryException) { fails++; if (k == 3 && fails == 50) Touch(); } } }
            hold = null; return "ok";
            """;
        var (attackRun, attack) = await RunOnAsync(pool, Program(fill, members), timeoutMs: 30_000, memoryMb: 128);
        // With the heap that full the runtime itself sometimes aborts the worker (PAL_SEHException):
        // then it is this program's crash. Otherwise it returns, and its caught exceptions are a
        // memory-limit hit. Either way it is named, and its worker serves no one else.
        var (status, kind) = attack!.Status == RunStatus.Crashed ? (RunStatus.Crashed, SafetyEventKinds.Crashed) : (RunStatus.Ok, SafetyEventKinds.MemoryLimit);
        Assert.Equal(status, attack.Status);
        Assert.Contains(attackRun.Events, e => e.Kind == kind && e.ProgramHash == attackRun.ProgramHash);
        for (int i = 0; i < 2; i++)
        {
            var (victimRun, victim) = await RunOnAsync(pool, Program("var q = new PriorityQueue<int, int>(); foreach (var x in new[] { 5, 3, 8 }) q.Enqueue(x, x); return new[] { 2.5, 1.5 }.OrderBy(x => x).First() + q.Dequeue();"), memoryMb: 128);
            Assert.Equal((RunStatus.Ok, 4.5), (victim!.Status, (double)victim.Result!));
            Assert.Empty(victimRun.Events);
        }
    }

    [Fact]
    public async Task A_result_of_the_programs_own_type_cannot_keep_it_loaded_for_later_programs()
    {
        // Results of a program's own types went through the worker's JSON caches, which kept its
        // load context (statics, image) alive: 31 MB here, after which an honest program keeping a
        // 2 MB static was named for "33 MB of the heap outlived the program". Returning a record is
        // honest: the worker is retired without an event, and neither program is blamed.
        await using var pool = await WorkerPool.StartAsync(new WorkerPoolOptions { Workers = 1, Warn = _ => { } });
        var (keepRun, keep) = await RunOnAsync(pool,
            "public class Keep { public int X { get; set; } public static byte[] Big = new byte[31 << 20]; } public static class Program { public static object Run() { Keep.Big[1] = 1; return new Keep { X = 1 }; } }");
        Assert.Equal(RunStatus.Ok, keep!.Status);
        Assert.Equal(1, (int)keep.Result!["X"]!);
        Assert.Empty(keepRun.Events);
        const string sieve = """
            public record Answer(int Count, int Largest);
            public static class Program
            {
                static readonly bool[] Composite = Sieve(2_000_000);
                static bool[] Sieve(int n) { var c = new bool[n]; for (int i = 2; (long)i * i < n; i++) if (!c[i]) for (int j = i * i; j < n; j += i) c[j] = true; return c; }
                public static object Run() { int count = 0, last = 0; for (int i = 2; i < Composite.Length; i++) if (!Composite[i]) { count++; last = i; } return new Answer(count, last); }
            }
            """;
        for (int i = 0; i < 2; i++)
        {
            var (run, result) = await RunOnAsync(pool, sieve);
            Assert.Equal((RunStatus.Ok, 148933), (result!.Status, (int)result.Result!["Count"]!));
            Assert.Empty(run.Events);
        }
    }

    [Theory]
    [InlineData("var w = new ManualResetEvent(false); w.Handle = (IntPtr)4; w.Dispose(); return 1;")]
    [InlineData("CancellationToken.None.WaitHandle.Dispose(); return 1;")]
    [InlineData("((IAsyncResult)Task.CompletedTask).AsyncWaitHandle.Dispose(); return 1;")]
    [InlineData("return Task.Factory.FromAsync(Task.CompletedTask, _ => { });")]
    [InlineData("return Random.Shared.Next(1000);")]
    public void Shared_handles_registered_waits_and_the_shared_random_are_barred(string body) =>
        Assert.NotEmpty(Check(Program(body)));

    [Fact]
    public async Task Code_compiled_for_library_generics_retires_the_worker_without_blame()
    {
        // Instantiations made only of library types live in the worker's permanent loader heaps,
        // which the heap guard cannot see: about 40 MB for G<byte>(4), until the worker aborted
        // under an honest program. G<byte>(3) with five arms compiles well over a thousand methods. The worker
        // retires; compiling generics is no attack in itself.
        await using var pool = await WorkerPool.StartAsync(new WorkerPoolOptions { Workers = 1, Warn = _ => { } });
        const string probe = "public static class Program { public static object Run() => \"probe\".GetHashCode(); }";
        var (_, before) = await RunOnAsync(pool, probe, memoryMb: 512);
        const string members = """
            static int Leaf<T>() { var d = new Dictionary<T, int>(); d[default!] = 1; var l = new List<T> { default! }; l.Sort(); var h = new HashSet<T>(l); return d.Count + l.Count + h.Count; }
            static int G<T>(int depth) => depth == 0 ? Leaf<T>() : G<ValueTuple<T, byte>>(depth - 1) + G<ValueTuple<T, short>>(depth - 1) + G<ValueTuple<T, int>>(depth - 1) + G<ValueTuple<T, long>>(depth - 1) + G<ValueTuple<T, char>>(depth - 1);
            """;
        var (run, result) = await RunOnAsync(pool, Program("return G<byte>(3);", members), timeoutMs: 60_000, memoryMb: 512);
        Assert.True(result!.Status == RunStatus.Ok, $"{result.Status}: {result.Error}");
        Assert.Empty(run.Events);
        var (_, after) = await RunOnAsync(pool, probe, memoryMb: 512);
        Assert.NotEqual((int)before!.Result!, (int)after!.Result!); // a fresh worker: string hashes are seeded per process
    }

    [Fact]
    public async Task An_allocation_refused_for_its_size_alone_and_caught_is_no_event()
    {
        var (run, result) = await RunOnAsync(sandbox.Pool, Program("try { var a = new int[int.MaxValue]; return a.Length; } catch (OutOfMemoryException) { return -1; }"));
        Assert.Equal((RunStatus.Ok, -1), (result!.Status, (int)result.Result!));
        Assert.Empty(run.Events);
    }

    [Theory]
    [InlineData("System.Runtime.CompilerServices.ContractHelper.TriggerFailure(0, \"boom\", null, null, null); return 1;")]
    [InlineData("return typeof(List<>).MakeGenericType(typeof(int));")]
    public void Barred_behaviour_reached_through_a_parameter_or_a_type_factory_is_barred(string body) =>
        Assert.NotEmpty(Check(Program(body)));

    [Fact]
    public async Task Constant_strings_folded_past_a_million_characters_are_refused_before_Roslyn_folds_them()
    {
        // 26 doublings of 8 characters: Roslyn would build a 512-million-character string (the host
        // reached 2.3 GB) before any image cap could refuse it.
        var doublings = string.Join(" ", Enumerable.Range(1, 26).Select(i => $"const string c{i} = c{i - 1} + c{i - 1};"));
        var (run, _) = await RunOnAsync(sandbox.Pool, Program("return c26.Length;", "const string c0 = \"abcdefgh\"; " + doublings));
        Assert.Equal(RunStatus.CompileError, run.Status);
        Assert.Contains(run.Diagnostics, d => d.Id == ProgramBounds.TooLarge && d.Message.Contains("constant string"));
        // Long constants of honest size still compile.
        var (fine, ok) = await RunOnAsync(sandbox.Pool, Program("return (c0 + c1).Length;", "const string c0 = \"abcdefgh\"; const string c1 = c0 + c0 + c0 + c0;"));
        Assert.Equal((RunStatus.Ok, 40), (ok!.Status, (int)ok.Result!));
    }

    // ---------------------------------------------------------------- class 2: leftover work

    [Theory]
    [InlineData("using var e = new ManualResetEvent(false); ThreadPool.RegisterWaitForSingleObject(e, (_, _) => Console.Write(\"late\"), null, 200, false); return 1;")]
    [InlineData("Thread.CurrentThread.Interrupt(); return 1;")]
    public void Callbacks_and_interrupts_that_outlive_the_program_are_barred(string body) =>
        Assert.NotEmpty(Check(Program(body)));

    [Fact]
    public void A_subclass_of_a_type_with_a_finalizer_is_barred()
    {
        // ThreadLocal's finalizer calls its virtual Dispose(bool): an override runs on the finalizer
        // thread, in some later program, and a thread it starts there is named ".NET Finalizer".
        const string sneaky = "sealed class Sneaky : ThreadLocal<int> { protected override void Dispose(bool disposing) { } }";
        Assert.Contains(Check(Program("new Sneaky(); return 1;", sneaky)), v => v.Rule.Contains("finalizer thread"));
    }

    [Fact]
    public async Task A_thread_named_like_the_runtimes_own_is_still_leftover_work()
    {
        // A thread started from the finalizer thread inherits its name, ".NET Finalizer". Names are
        // no proof: the probe must count it as this program's leftover work. (Policy off: the only
        // way code reaches the finalizer thread now.)
        const string members = "sealed class F { ~F() { new Thread(() => { while (true) Thread.Sleep(20); }) { IsBackground = true }.Start(); } }";
        var (run, result) = await RunOnAsync(sandbox.Pool,
            Program("Make(); GC.Collect(); GC.WaitForPendingFinalizers(); Thread.Sleep(50); return 1;", members + " static void Make() => new F();"),
            policy: false);
        Assert.Equal(RunStatus.Ok, result!.Status);
        var leftover = Assert.Single(run.Events, e => e.Kind == SafetyEventKinds.LeftoverWork);
        Assert.Contains("thread", leftover.Detail);
        Assert.Equal(run.ProgramHash, leftover.ProgramHash);
    }

    [Fact]
    public async Task An_interrupt_that_fires_in_the_workers_own_wait_is_the_programs_event()
    {
        // The interrupt fires in the probe's sleep (a thread of the program is still running): the
        // worker used to die there with no event at all.
        var (run, result) = await RunOnAsync(sandbox.Pool,
            Program("new Thread(() => Thread.Sleep(400)) { IsBackground = true }.Start(); Thread.CurrentThread.Interrupt(); return 1;"), policy: false);
        Assert.Equal(RunStatus.Ok, result!.Status);
        Assert.Contains(run.Events, e => e.Kind == SafetyEventKinds.LeftoverWork && e.ProgramHash == run.ProgramHash && e.Detail.Contains("interrupt"));
    }

    // ---------------------------------------------------------------- class 3: barred members through allowed types

    [Theory]
    [InlineData("System.Diagnostics.Debug.Fail(\"bye\"); return 1;")]
    [InlineData("System.Diagnostics.Debug.Assert(false); return 1;")]
    [InlineData("System.Diagnostics.Debug.IndentLevel = 3; return 1;")]
    [InlineData("Console.Title = \"pwned\"; return 1;")]
    [InlineData("Console.Clear(); return 1;")]
    public void Members_that_reach_the_process_or_the_terminal_are_barred(string body) =>
        Assert.NotEmpty(Check("#define DEBUG\n" + Program(body)));

    // ---------------------------------------------------------------- class 7a: labels

    [Fact]
    public async Task One_allocation_larger_than_the_cap_is_a_memory_limit_hit()
    {
        // 400 MB of characters under a 256 MB cap: no collection runs before the runtime refuses it.
        var (run, result) = await RunOnAsync(sandbox.Pool, Program("var s = new string('x', 200_000_000); return s.Length;"));
        Assert.Equal(RunStatus.MemoryLimit, result!.Status);
        Assert.Contains(run.Events, e => e.Kind == SafetyEventKinds.MemoryLimit && e.ProgramHash == run.ProgramHash);
    }

    [Theory]
    [InlineData("throw new OutOfMemoryException(\"pretend\");", "")]
    [InlineData("OutOfMemoryException e = new(); throw e;", "")]
    [InlineData("throw new Fake();", "sealed class Fake : OutOfMemoryException { }")]
    [InlineData("throw new InsufficientMemoryException();", "")]
    public void Only_the_runtime_may_make_an_out_of_memory_exception(string body, string members) =>
        Assert.Contains(Check(Program(body, members)), v => v.Rule.Contains("only the runtime"));
}
