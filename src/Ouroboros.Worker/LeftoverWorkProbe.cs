namespace Ouroboros.Worker;

/// <summary>
/// Tells whether a candidate left work running after its call returned: a thread of its own, a
/// long-running task, a busy thread-pool thread, or a child process. Such a worker is retired, because that work
/// would steal CPU from, and print into, the next candidate.
/// </summary>
internal static class LeftoverWorkProbe
{
    public static HashSet<string> Threads() =>
        Directory.Exists("/proc/self/task")
            ? Directory.GetDirectories("/proc/self/task").Select(Path.GetFileName).OfType<string>().ToHashSet()
            : [];

    /// <summary>
    /// Null when the worker is quiet again within the grace period, otherwise what is still running.
    /// The runtime's own threads are named ".NET ..."; threads a candidate starts inherit the
    /// runner thread's name, except long-running tasks, which the runtime names itself.
    /// </summary>
    public static string? Find(HashSet<string> before, TimeSpan grace)
    {
        var deadline = DateTime.UtcNow + grace;
        string? reason;
        do
        {
            reason = Describe(before);
            if (reason is null) return null;
            Thread.Sleep(5);
        } while (DateTime.UtcNow < deadline);
        return reason;
    }

    private static string? Describe(HashSet<string> before)
    {
        // In a PID namespace of our own one listing of /proc finds every process the candidate
        // started; elsewhere, ask each thread for its children (slower, misses re-parented orphans).
        var children = Environment.ProcessId <= 3 ? OrphansInNamespace() : Threads().Sum(ChildProcesses);
        if (children > 0) return $"{children} child process(es) still running after the call returned";
        var foreign = Threads().Where(tid => !before.Contains(tid)).Select(Name)
            .Count(name => name is not null && (!name.StartsWith(".NET ", StringComparison.Ordinal) || name.StartsWith(".NET Long", StringComparison.Ordinal)));
        if (foreign > 0) return $"{foreign} thread(s) still running after the call returned";
        ThreadPool.GetAvailableThreads(out var available, out _);
        ThreadPool.GetMaxThreads(out var max, out _);
        var busy = max - available;
        if (busy > 0) return $"{busy} thread-pool task(s) still running after the call returned";
        return null;
    }

    /// <summary>In a fresh PID namespace the only processes are its init (1) and this worker.</summary>
    private static int OrphansInNamespace()
    {
        var self = Environment.ProcessId;
        return Directory.GetDirectories("/proc").Select(Path.GetFileName)
            .Count(name => int.TryParse(name, out var pid) && pid != 1 && pid != self);
    }

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
