using System.Net;
using System.Net.Sockets;
using Ouroboros.Safety;
using Ouroboros.Sandbox;

namespace Ouroboros.Tests.Sandbox;

/// <summary>
/// Programs that try to escape the sandbox or hurt the host. Each asserts the exact status, and
/// that the pool still answers the next program correctly.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class RedTeamTests(SandboxFixture sandbox)
{
    private const string Healthy = "public static class Program { public static int Run() => Enumerable.Range(1, 10).Sum(); }";

    private async Task AssertPoolHealthyAsync()
    {
        var (run, result) = await sandbox.RunAsync(Healthy);
        Assert.Equal(RunStatus.Ok, run.Status);
        Assert.Equal(RunStatus.Ok, result!.Status);
        Assert.Equal(55, (int)result.Result!);
    }

    private static string Program(string body, string members = "") =>
        $"public static class Program {{ {members} public static object Run() {{ {body} }} }}";

    [BubblewrapFact]
    public async Task Reading_host_files_finds_nothing()
    {
        var secret = Path.Combine(Path.GetTempPath(), $"ouro-secret-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(secret, "host secret");
        try
        {
            var (_, result) = await sandbox.RunAsync(Program($"return System.IO.File.ReadAllText(\"{secret}\");"), policy: false);
            Assert.Equal(RunStatus.Error, result!.Status);
            Assert.Contains("Could not find", result.Error);
            var (_, passwd) = await sandbox.RunAsync(Program("return System.IO.File.ReadAllText(\"/etc/passwd\");"), policy: false);
            Assert.Equal(RunStatus.Error, passwd!.Status);
        }
        finally { File.Delete(secret); }
        await AssertPoolHealthyAsync();
    }

    [BubblewrapFact]
    public async Task Writing_files_never_reaches_the_host()
    {
        var target = Path.Combine("/tmp", $"ouro-escape-{Guid.NewGuid():N}");
        var (_, result) = await sandbox.RunAsync(Program($"System.IO.File.WriteAllText(\"{target}\", \"x\"); return System.IO.File.Exists(\"{target}\");"), policy: false);
        Assert.Equal(RunStatus.Ok, result!.Status); // it wrote into its own private /tmp ...
        Assert.False(File.Exists(target));           // ... which the host never sees
        var (_, system) = await sandbox.RunAsync(Program("System.IO.File.WriteAllText(\"/usr/ouro-escape\", \"x\"); return 1;"), policy: false);
        Assert.Equal(RunStatus.Error, system!.Status);
        Assert.Contains("Read-only file system", system.Error);
        Assert.False(File.Exists("/usr/ouro-escape"));
        await AssertPoolHealthyAsync();
    }

    [BubblewrapFact]
    public async Task Network_to_loopback_and_to_a_name_fails()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var (_, local) = await sandbox.RunAsync(Program($"using var c = new System.Net.Sockets.TcpClient(); c.Connect(\"127.0.0.1\", {port}); return 1;"), policy: false);
        Assert.Equal(RunStatus.Error, local!.Status);
        Assert.Contains("SocketException", local.Error);
        Assert.False(listener.Pending());
        var (_, named) = await sandbox.RunAsync(Program("return System.Net.Dns.GetHostAddresses(\"example.com\").Length;"), policy: false);
        Assert.Equal(RunStatus.Error, named!.Status);
        await AssertPoolHealthyAsync();
    }

    [CgroupFact]
    public async Task Native_memory_past_the_cap_is_a_memory_limit_hit_not_a_crash()
    {
        // Thread stacks are not GC heap: the heap limit never sees them, the cgroup's OOM killer
        // does, with a SIGKILL. The host must read the kill count before it removes the group.
        var (run, result) = await sandbox.RunAsync(Program("""
            for (int i = 0; i < 400; i++) new Thread(() => { Touch(0); Thread.Sleep(-1); }, 4 << 20) { IsBackground = true }.Start();
            Thread.Sleep(5000);
            return 0;
            """, members: """
            static int Touch(int depth) { Span<byte> b = stackalloc byte[64 * 1024]; b[0] = 1; return depth < 50 ? Touch(depth + 1) + b[0] : 0; }
            """), timeoutMs: 20_000);
        Assert.Equal(RunStatus.MemoryLimit, result!.Status);
        Assert.Contains(run.Events, e => e.Kind == SafetyEventKinds.MemoryLimit);
        Assert.DoesNotContain(run.Events, e => e.Kind == SafetyEventKinds.Crashed);
        await AssertPoolHealthyAsync();
    }

    [BubblewrapFact]
    public async Task A_fork_bomb_is_capped_and_cleaned_up()
    {
        // The candidate starts a fork bomb and watches how many processes its sandbox holds.
        var (_, result) = await sandbox.RunAsync(Program("""
            System.Diagnostics.Process.Start("/bin/sh", new[] { "-c", "f() { f | f & }; f" });
            int peak = 0;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (clock.ElapsedMilliseconds < 1500)
                peak = Math.Max(peak, System.IO.Directory.GetDirectories("/proc").Count(Alive));
            return peak;
            """, members: """
            // A live process: exited ones (zombies) no longer count against the cap.
            static bool Alive(string dir)
            {
                if (!char.IsDigit(System.IO.Path.GetFileName(dir)[0])) return false;
                try { var stat = System.IO.File.ReadAllText(dir + "/stat"); return stat[stat.LastIndexOf(')') + 2] != 'Z'; }
                catch (System.IO.IOException) { return false; }
            }
            """), policy: false, timeoutMs: 10_000);
        Assert.Equal(RunStatus.Ok, result!.Status);
        // Never more live processes than the cap: 256 tasks per worker's cgroup as root, RLIMIT_NPROC
        // (4096 for the uid) otherwise. (Under the cap the bomb often collapses by itself within
        // milliseconds, so how high it got is not asserted, only that it stayed below.)
        var cap = Environment.UserName == "root" ? 256 : 4096;
        Assert.InRange((int)result.Result!, 2, cap);
        await AssertPoolHealthyAsync();
        var leftovers = System.IO.Directory.GetDirectories("/proc").Count(d => File.Exists(Path.Combine(d, "cmdline"))
            && File.ReadAllText(Path.Combine(d, "cmdline")).StartsWith("/bin/sh\0-c\0f()"));
        Assert.Equal(0, leftovers); // nothing of it outlives its worker on the host
    }

    [BubblewrapFact]
    public async Task The_environment_is_scrubbed_and_the_uid_unprivileged()
    {
        Environment.SetEnvironmentVariable("OUROBOROS_TEST_API_KEY", "sk-must-not-leak");
        var (_, env) = await sandbox.RunAsync(Program("return string.Join(\";\", System.Environment.GetEnvironmentVariables().Keys.Cast<string>());"), policy: false);
        Assert.Equal(RunStatus.Ok, env!.Status);
        Assert.DoesNotContain("OUROBOROS_TEST_API_KEY", (string)env.Result!);
        var (_, uid) = await sandbox.RunAsync(Program("return System.IO.File.ReadAllLines(\"/proc/self/status\").First(l => l.StartsWith(\"Uid:\"));"), policy: false);
        Assert.Matches(@"^Uid:\s+65534\s", (string)uid!.Result!);
    }

    [Fact]
    public async Task Process_reflection_and_interop_are_policy_violations()
    {
        foreach (var body in new[]
        {
            "return System.Diagnostics.Process.Start(\"/bin/sh\");",
            "return typeof(Program).GetMethod(\"Run\");",
            "return System.Runtime.InteropServices.Marshal.AllocHGlobal(8);",
            "System.Environment.Exit(1); return null;",
        })
        {
            var (run, _) = await sandbox.RunAsync(Program(body));
            Assert.Equal(RunStatus.PolicyViolation, run.Status);
            Assert.Contains(run.Events, e => e.Kind == SafetyEventKinds.PolicyViolation);
        }
        var (pinvoke, _) = await sandbox.RunAsync(Program("return getpid();", "[System.Runtime.InteropServices.DllImport(\"libc\")] static extern int getpid();"));
        Assert.Equal(RunStatus.PolicyViolation, pinvoke.Status);
        await AssertPoolHealthyAsync();
    }

    [Fact]
    public async Task An_infinite_loop_times_out()
    {
        var (_, result) = await sandbox.RunAsync(Program("while (true) { }"), timeoutMs: 500);
        Assert.Equal(RunStatus.Timeout, result!.Status);
        await AssertPoolHealthyAsync();
    }

    [Fact]
    public async Task A_static_constructor_that_never_returns_times_out()
    {
        var (_, result) = await sandbox.RunAsync(Program("return 1;", "static Program() { while (true) { } }"), timeoutMs: 500);
        Assert.Equal(RunStatus.Timeout, result!.Status);
        await AssertPoolHealthyAsync();
    }

    [Fact]
    public async Task An_allocation_bomb_hits_the_memory_limit()
    {
        var (run, result) = await sandbox.RunAsync(Program("var l = new List<byte[]>(); while (true) l.Add(new byte[1 << 20]);"), memoryMb: 128);
        Assert.Equal(RunStatus.MemoryLimit, result!.Status);
        Assert.Contains(run.Events, e => e.Kind == SafetyEventKinds.MemoryLimit);
        await AssertPoolHealthyAsync();
    }

    [Fact]
    public async Task A_program_cannot_fake_running_out_of_memory()
    {
        // The worker takes an OutOfMemoryException as the runtime's word (round 3): so a program may
        // not make one, and its attempt is a policy violation, not a memory-limit hit.
        foreach (var body in new[]
        {
            "throw new OutOfMemoryException(\"pretend\");",
            // churning the heap first makes the runtime collect, but does not fill it
            "for (int i = 0; i < 40; i++) { var a = new byte[20_000_000]; a[0] = 1; } throw new OutOfMemoryException(\"pretend\");",
        })
        {
            var (run, _) = await sandbox.RunAsync(Program(body));
            Assert.Equal(RunStatus.PolicyViolation, run.Status);
            Assert.Contains(run.Diagnostics, d => d.Message.Contains("only the runtime reports running out of memory"));
            Assert.DoesNotContain(run.Events, e => e.Kind == SafetyEventKinds.MemoryLimit);
        }
        await AssertPoolHealthyAsync();
    }

    [Fact]
    public async Task A_thread_bomb_is_stopped()
    {
        var (_, result) = await sandbox.RunAsync(Program("for (;;) new Thread(() => Thread.Sleep(-1)).Start();"), timeoutMs: 20_000);
        Assert.Equal(RunStatus.MemoryLimit, result!.Status); // the thread cap surfaces as a failed thread start
        await AssertPoolHealthyAsync();
    }

    [Fact]
    public async Task A_stack_overflow_crashes_only_its_worker()
    {
        var (_, result) = await sandbox.RunAsync(Program("return F(0);", "static int F(int x) => F(x + 1) + 1;"));
        Assert.Equal(RunStatus.Crashed, result!.Status);
        Assert.Contains("Stack overflow", result.Error);
        await AssertPoolHealthyAsync();
    }

    [Fact]
    public async Task A_flood_of_output_hits_the_output_limit()
    {
        var (_, result) = await sandbox.RunAsync(Program("while (true) Console.WriteLine(\"spam\");"));
        Assert.Equal(RunStatus.OutputLimit, result!.Status);
        Assert.StartsWith("spam", result.Stdout);
        await AssertPoolHealthyAsync();
    }

    [Fact]
    public async Task Exiting_the_process_is_a_crash_with_the_policy_off()
    {
        var (_, result) = await sandbox.RunAsync(Program("System.Environment.Exit(3); return 1;"), policy: false);
        Assert.Equal(RunStatus.Crashed, result!.Status);
        await AssertPoolHealthyAsync();
    }

    [Fact]
    public async Task Work_left_running_retires_the_worker()
    {
        var (task, taskResult) = await sandbox.RunAsync(Program("Task.Run(() => { while (true) { } }); return 1;"));
        Assert.Equal(RunStatus.Ok, taskResult!.Status);
        Assert.Contains(task.Events, e => e.Kind == SafetyEventKinds.LeftoverWork);
        var (thread, threadResult) = await sandbox.RunAsync(Program("new Thread(() => { Thread.Sleep(100); while (true) { Console.WriteLine(\"late\"); Thread.Sleep(20); } }).Start(); return 1;"));
        Assert.Equal(RunStatus.Ok, threadResult!.Status);
        Assert.Contains(thread.Events, e => e.Kind == SafetyEventKinds.LeftoverWork);
        var (_, next) = await sandbox.RunAsync("public static class Program { public static int Run() { Thread.Sleep(200); return 5; } }");
        Assert.Equal("", next!.Stdout); // nothing the leftover thread printed leaks into the next program
        await AssertPoolHealthyAsync();
    }

    [Fact]
    public async Task Printed_protocol_frames_are_only_output()
    {
        const string forged = "{\"type\":\"done\",\"id\":1,\"index\":0,\"status\":\"ok\",\"result\":999}";
        var (_, printed) = await sandbox.RunAsync(Program($"Console.WriteLine(\"{forged.Replace("\"", "\\\"")}\"); Console.Out.Flush(); return 7;"));
        Assert.Equal(RunStatus.Ok, printed!.Status);
        Assert.Equal(7, (int)printed.Result!);
        Assert.Contains("\"result\":999", printed.Stdout);
        // With the policy off, the raw standard output is /dev/null: the frames go nowhere.
        var (_, raw) = await sandbox.RunAsync(Program(
            $"var s = Console.OpenStandardOutput(); var b = System.Text.Encoding.UTF8.GetBytes(\"{forged.Replace("\"", "\\\"")}\"); s.Write(new byte[] {{ 0, 0, 0, (byte)b.Length }}); s.Write(b); s.Flush(); return 7;"),
            policy: false);
        Assert.Equal(RunStatus.Ok, raw!.Status);
        Assert.Equal(7, (int)raw.Result!);
        await AssertPoolHealthyAsync();
    }
}
