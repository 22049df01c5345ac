using Ouroboros.Sandbox;

namespace Ouroboros.Worker;

/// <summary>
/// Tells whether a candidate left work running after its call returned: a thread of its own, a
/// long-running task, a busy thread-pool thread, a pending timer (Task.Delay, Timer), or a child
/// process. Such a worker is retired, because that work would steal CPU from, print into, or call
/// capabilities during the next candidate.
/// </summary>
internal static class LeftoverWorkProbe
{
    /// <summary>What is running before a program starts.</summary>
    public sealed record Before(HashSet<string> Threads, int PoolThreads, long Timers, long LastPid);

    /// <summary>
    /// The processes visible when the worker started. In a PID namespace of its own (bubblewrap)
    /// that is a handful, and any other process was started by a candidate, even one re-parented
    /// after its parent exited; on the host's /proc it is hundreds, and the check is left to children.
    /// </summary>
    private static readonly HashSet<int> StartupProcesses = Processes();
    private static readonly bool OwnNamespace = StartupProcesses.Count < 16;

    /// <summary>
    /// Threads the runtime starts on its own, after start-up, by the names it gives them. Names are
    /// no proof: on Linux a new thread inherits its creator's name, so a thread started from code on
    /// the finalizer thread is called ".NET Finalizer". So a new thread passes as the runtime's only
    /// under one of these names, only one per name, and only while no thread of that name ran
    /// before; the finalizer and signal-handler threads exist from start-up and are never new.
    /// </summary>
    private static readonly string[] RuntimeThreads =
        [".NET Tiered Com", ".NET BGC", ".NET Timer", ".NET Wait", ".NET TP Gate", ".NET EventPipe", ".NET Counter"];

    private static readonly ProcFile LoadAverage = new("/proc/loadavg");
    private static Before? _last;

    /// <summary>
    /// While no pid has been handed out since the last snapshot, no thread can have started, so
    /// that snapshot's thread list still serves (threads that ended since only make it a superset,
    /// which finds the same new threads): listing /proc/self/task costs more than the rest of it.
    /// </summary>
    public static Before Snapshot()
    {
        var lastPid = LastPid();
        var threads = _last is { } last && lastPid >= 0 && last.LastPid == lastPid ? last.Threads : Threads();
        return _last = new(threads, ThreadPool.ThreadCount, Timer.ActiveCount, lastPid);
    }

    /// <summary>
    /// The last pid handed out in this PID namespace (the last field of /proc/loadavg). Every thread
    /// and process start takes a pid, so while it stands still nothing new was started: the scans
    /// of /proc can be skipped. Outside a namespace of our own the host's pids move all the time.
    /// </summary>
    private static long LastPid()
    {
        if (!OwnNamespace) return -1;
        var text = LoadAverage.Read();
        return text is not null && long.TryParse(text[(text.LastIndexOf(' ') + 1)..].Trim(), out var pid) ? pid : -1;
    }

    /// <summary>Null when the worker is quiet again within the grace period, otherwise what is still running.</summary>
    public static Retirement? Find(Before before, TimeSpan grace)
    {
        var deadline = DateTime.UtcNow + grace;
        Retirement? reason;
        do
        {
            reason = Describe(before);
            if (reason is null) return null;
            Thread.Sleep(5);
        } while (DateTime.UtcNow < deadline);
        return reason;
    }

    private static Retirement? Describe(Before before)
    {
        if (before.LastPid < 0 || LastPid() != before.LastPid)
            if (Started(before) is { } started) return new(started);
        if (ThreadPool.PendingWorkItemCount > 0) return new($"{ThreadPool.PendingWorkItemCount} thread-pool work item(s) still queued after the call returned");
        ThreadPool.GetAvailableThreads(out var available, out _);
        ThreadPool.GetMaxThreads(out var max, out _);
        var busy = max - available;
        if (busy > 0) return new($"{busy} thread-pool task(s) still running after the call returned");
        // A pending timer is an event even when it is the common timeout idiom's
        // (Task.WhenAny(work, Task.Delay(t)), an undisposed CancellationTokenSource with a delay):
        // no public API tells a timer that only completes a task from one that runs program code.
        if (Timer.ActiveCount > before.Timers)
            return new($"{Timer.ActiveCount - before.Timers} timer(s) still pending after the call returned (a Timer, or a Task.Delay or CancellationTokenSource timeout not awaited or disposed)");
        return null;
    }

    /// <summary>Processes and threads started since <paramref name="before"/> that are still running.</summary>
    private static string? Started(Before before)
    {
        // In a PID namespace of our own one listing of /proc finds every process the candidate
        // started; elsewhere, ask each thread for its children (misses re-parented orphans).
        var children = OwnNamespace ? Processes().Count(pid => !StartupProcesses.Contains(pid)) : Threads().Sum(ChildProcesses);
        if (children > 0) return $"{children} child process(es) still running after the call returned";

        // Names are not evidence: a thread started from a pool thread inherits ".NET TP Worker".
        // Count new threads against what the thread pool and the runtime account for.
        var fresh = Threads().Where(tid => !before.Threads.Contains(tid)).Select(Name).OfType<string>().ToList();
        var runtime = RuntimeOwn(fresh, before);
        var poolGrowth = Math.Max(0, ThreadPool.ThreadCount - before.PoolThreads);
        var foreign = fresh.Count - runtime - poolGrowth;
        if (foreign > 0) return $"{foreign} thread(s) still running after the call returned";
        return null;
    }

    /// <summary>How many of <paramref name="fresh"/> (names of new threads) can be the runtime's own.</summary>
    private static int RuntimeOwn(List<string> fresh, Before before)
    {
        var claimed = fresh.Select(n => RuntimeThreads.FirstOrDefault(r => n.StartsWith(r, StringComparison.Ordinal))).OfType<string>().ToHashSet();
        if (claimed.Count == 0) return 0;
        var earlier = before.Threads.Select(Name).OfType<string>().ToList();
        return claimed.Count(r => !earlier.Any(n => n.StartsWith(r, StringComparison.Ordinal)));
    }

    private static HashSet<string> Threads() =>
        Directory.Exists("/proc/self/task")
            ? Directory.GetDirectories("/proc/self/task").Select(Path.GetFileName).OfType<string>().ToHashSet()
            : [];

    private static HashSet<int> Processes() =>
        Directory.GetDirectories("/proc").Select(Path.GetFileName).Select(n => int.TryParse(n, out var pid) ? pid : -1).Where(p => p > 0).ToHashSet();

    private static int ChildProcesses(string tid)
    {
        try { return File.ReadAllText($"/proc/self/task/{tid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries).Length; }
        catch (IOException) { return 0; }
    }

    private static string? Name(string tid)
    {
        try { return File.ReadAllText($"/proc/self/task/{tid}/comm").Trim(); }
        catch (IOException) { return null; } // the thread ended meanwhile
    }
}
