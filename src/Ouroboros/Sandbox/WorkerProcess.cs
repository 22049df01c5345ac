using System.Diagnostics;
using Ouroboros.Sandbox.Protocol;

namespace Ouroboros.Sandbox;

/// <summary>
/// One sandbox worker process, as the host sees it: its frame channel, its CPU clock, its cgroup,
/// and the means to kill it. Everything it sends is untrusted input.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private static int _counter;
    private readonly Process _process;
    private readonly CgroupLimits? _cgroup;
    private readonly StderrTail _stderr;
    private ProcFile? _stat;
    private int _baselineProcesses;
    private readonly bool _namespaced;

    private WorkerProcess(Process process, CgroupLimits? cgroup, int memoryMb, bool namespaced)
    {
        _process = process; _cgroup = cgroup; MemoryMb = memoryMb; _namespaced = namespaced;
        Channel = new FrameChannel(process.StandardOutput.BaseStream, process.StandardInput.BaseStream, Frames.MaxFrameBytes);
        Incoming = new WorkerFrames(Channel, $"ouro-frames-{process.Id}");
        _stderr = new StderrTail(process.StandardError.BaseStream, $"ouro-stderr-{process.Id}");
    }

    /// <summary>For writing to the worker; its frames are read through <see cref="Incoming"/>.</summary>
    public FrameChannel Channel { get; }
    public WorkerFrames Incoming { get; }
    public int MemoryMb { get; }
    public int Programs { get; set; }
    private bool _killed;

    /// <summary>
    /// The hash of the last program this worker ran (the warm-up aside), or null for a fresh worker.
    /// When the worker dies before the next program began, this is the program the event names.
    /// </summary>
    public string? LastProgram { get; set; }

    /// <summary>The launched process (bwrap, when sandboxed): killing it ends the worker.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Killed by the host, or exited on its own (a late callback of an earlier program can end it while idle).</summary>
    public bool Dead => _killed || HasExited();

    /// <summary>Exited without the host killing it: something in the worker ended it.</summary>
    public bool DiedOnItsOwn => !_killed && HasExited();

    private bool HasExited()
    {
        try { return _process.HasExited; }
        catch (InvalidOperationException) { return true; }
    }

    /// <summary>What the runtime printed to standard error (a stack overflow, an abort), capped.</summary>
    public string Stderr => _stderr.Text;

    public static async Task<WorkerProcess> StartAsync(Isolation isolation, int memoryMb, CancellationToken cancellationToken)
    {
        var (process, cgroup) = await WorkerLauncher.RunAsync(() => Launch(isolation, memoryMb));
        var worker = new WorkerProcess(process, cgroup, memoryMb, isolation.Bubblewrap is not null);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            var ready = await worker.Incoming.ReadAsync(timeout.Token);
            if ((string?)ready?["type"] != Frames.Ready)
            {
                // Let the process end and its last words arrive before saying why it failed.
                try { await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(2)); } catch (TimeoutException) { }
                worker._stderr.WaitForEnd(TimeSpan.FromSeconds(1));
                var exit = process.HasExited ? $"exit code {process.ExitCode}" : "still running";
                await worker.DisposeAsync();
                throw new InvalidOperationException($"sandbox worker failed to start ({exit}): {worker.Stderr.Trim()}");
            }
            worker._baselineProcesses = cgroup?.Processes() ?? 0;
        }
        catch (Exception e) when (e is not InvalidOperationException)
        {
            await worker.DisposeAsync();
            if (cancellationToken.IsCancellationRequested) throw;
            throw new InvalidOperationException($"sandbox worker failed to start ({e.Message}): {worker.Stderr.Trim()}", e);
        }
        return worker;
    }

    /// <summary>
    /// Creates the worker's cgroup and starts its process. Runs on the <see cref="WorkerLauncher"/>
    /// thread, never on a pool thread: the worker dies with the thread that started it.
    /// </summary>
    private static (Process, CgroupLimits?) Launch(Isolation isolation, int memoryMb)
    {
        var command = isolation.Command(memoryMb);
        CgroupLimits? cgroup = null;
        if (isolation.Cgroups)
        {
            cgroup = CgroupLimits.Create($"ouroboros-{Environment.ProcessId}-{Interlocked.Increment(ref _counter)}", memoryMb, maxProcesses: 256);
            // The launcher joins the groups itself before exec, so no child can be born outside them.
            command = ["/bin/sh", "-c", "echo $$ > \"$1\" && echo $$ > \"$2\" && shift 2 && exec \"$@\"", "sh", .. cgroup.ProcsFiles, .. command];
        }
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1)) start.ArgumentList.Add(argument);
        start.Environment.Clear();
        foreach (var (key, value) in Isolation.Environment(memoryMb)) start.Environment[key] = value;
        try { return (Process.Start(start) ?? throw new InvalidOperationException("could not start a sandbox worker"), cgroup); }
        catch
        {
            cgroup?.Destroy();
            throw;
        }
    }

    /// <summary>CPU time used so far by the worker's runtime process (all threads), read from /proc.</summary>
    public TimeSpan CpuTime()
    {
        _stat ??= new ProcFile($"/proc/{FindWorkerPid()}/stat");
        var stat = _stat.Read();
        if (stat is null) return TimeSpan.Zero;
        try
        {
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11]) + long.Parse(fields[12]); // utime, stime (fields 14, 15)
            return TimeSpan.FromSeconds(ticks / 100.0);
        }
        catch (Exception e) when (e is FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException) { return TimeSpan.Zero; }
    }

    /// <summary>
    /// How the worker ended ("exit code 0"; above 128, a signal), once it has, waiting at most
    /// <paramref name="wait"/>; null if it is still running. bwrap passes on its child's status.
    /// </summary>
    public async Task<string?> ExitAsync(TimeSpan wait)
    {
        try { await _process.WaitForExitAsync().WaitAsync(wait); }
        catch (TimeoutException) { return null; }
        _stderr.WaitForEnd(TimeSpan.FromMilliseconds(500)); // its last words, which say why
        var code = _process.ExitCode;
        return code > 128 ? $"exit code {code}: signal {code - 128}, if it was killed" : $"exit code {code}";
    }

    /// <summary>Processes in the worker's cgroup beyond those it started with, or 0 without cgroups.</summary>
    public int ExtraProcesses() => _cgroup is null ? 0 : Math.Max(0, _cgroup.Processes() - _baselineProcesses);

    /// <summary>Whether the kernel's OOM killer ended the worker (or, without cgroups, the runtime said it ran out).</summary>
    public bool OomKilled() => _oomKilled ?? _cgroup?.OomKilled() ?? Stderr.Contains("OutOfMemory", StringComparison.Ordinal);

    // Read as the worker is killed: the cgroup that counts OOM kills is removed with it.
    private bool? _oomKilled;

    /// <summary>Kills the worker and everything it started; idempotent.</summary>
    public void Kill()
    {
        if (_killed) return;
        _killed = true;
        if (_cgroup is not null) _oomKilled = _cgroup.OomKilled();
        // Only our own child is signalled by pid: the runtime knows when it has been reaped, so the
        // signal cannot reach a process that inherited a recycled pid (pid_max is 32768 here, and a
        // busy host wraps it in minutes). A tree walk by parent pid has no such guard: it can signal
        // a stranger, such as a worker another pool is starting. Under bubblewrap the rest needs no
        // walk: bwrap dies with its parent and the PID namespace dies with its init; the cgroup
        // catches anything else.
        try { _process.Kill(entireProcessTree: !_namespaced && _cgroup is null); } catch (InvalidOperationException) { }
        _cgroup?.Destroy();
        Incoming.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        _stat?.Dispose();
        try { await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5)); } catch (TimeoutException) { }
        _process.Dispose();
    }

    /// <summary>The launcher, bwrap and its init sit between us and the runtime; find the runtime's host pid.</summary>
    private int FindWorkerPid()
    {
        var frontier = new List<int> { _process.Id };
        var last = _process.Id;
        for (int depth = 0; depth < 6 && frontier.Count > 0; depth++)
        {
            var children = new List<int>();
            foreach (var parent in frontier)
            {
                try
                {
                    foreach (var child in File.ReadAllText($"/proc/{parent}/task/{parent}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries))
                        children.Add(int.Parse(child));
                }
                catch (IOException) { }
            }
            if (children.Count > 0) last = children[^1];
            frontier = children;
        }
        return last;
    }
}
