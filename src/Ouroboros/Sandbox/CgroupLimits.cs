namespace Ouroboros.Sandbox;

/// <summary>
/// Per-worker memory and process-count caps in the cgroup v1 hierarchy (this machine's layout; needs
/// root). Each worker gets a uniquely named child group, removed when the worker is gone.
/// </summary>
internal sealed class CgroupLimits
{
    private const string Root = "/sys/fs/cgroup";
    private readonly string _memory;
    private readonly string _pids;

    private CgroupLimits(string name)
    {
        _memory = Path.Combine(Root, "memory", name);
        _pids = Path.Combine(Root, "pids", name);
    }

    /// <summary>Whether this process can create v1 memory and pids groups.</summary>
    public static bool Available() =>
        Environment.UserName == "root"
        && File.Exists(Path.Combine(Root, "memory", "memory.limit_in_bytes"))
        && File.Exists(Path.Combine(Root, "pids", "cgroup.procs"));

    public static CgroupLimits Create(string name, int memoryMb, int maxProcesses)
    {
        var limits = new CgroupLimits(name);
        Directory.CreateDirectory(limits._memory);
        Directory.CreateDirectory(limits._pids);
        File.WriteAllText(Path.Combine(limits._memory, "memory.limit_in_bytes"), ((long)memoryMb * 1024 * 1024).ToString());
        TryWrite(Path.Combine(limits._memory, "memory.swappiness"), "0");
        File.WriteAllText(Path.Combine(limits._pids, "pids.max"), maxProcesses.ToString());
        return limits;
    }

    /// <summary>Removes groups left by Ouroboros processes that died without cleaning up (kill -9, say).</summary>
    public static void SweepStale()
    {
        foreach (var controller in new[] { "memory", "pids" })
        {
            var parent = Path.Combine(Root, controller);
            foreach (var dir in Directory.GetDirectories(parent, "ouroboros-*"))
            {
                var parts = Path.GetFileName(dir).Split('-');
                if (parts.Length == 3 && int.TryParse(parts[1], out var owner) && !Directory.Exists($"/proc/{owner}"))
                    new CgroupLimits(Path.GetFileName(dir)).Destroy();
            }
        }
    }

    /// <summary>The files a launcher writes its own pid into, so everything it execs is capped from the start.</summary>
    public IEnumerable<string> ProcsFiles => [Path.Combine(_memory, "cgroup.procs"), Path.Combine(_pids, "cgroup.procs")];

    /// <summary>How many processes (not threads) are in the group.</summary>
    /// <remarks>
    /// Opened afresh every time: cgroup v1 caches the pid list of an open file for a while, so a
    /// handle kept open (as <see cref="ProcFile"/> does for /proc) can miss a process a candidate left.
    /// </remarks>
    public int Processes()
    {
        try { return File.ReadAllText(Path.Combine(_pids, "cgroup.procs")).Count(c => c == '\n'); }
        catch (IOException) { return 0; }
    }

    /// <summary>True when the kernel's OOM killer acted in this group.</summary>
    public bool OomKilled()
    {
        try
        {
            var control = File.ReadAllLines(Path.Combine(_memory, "memory.oom_control"));
            var kills = control.FirstOrDefault(l => l.StartsWith("oom_kill ", StringComparison.Ordinal));
            if (kills is not null) return long.Parse(kills[9..]) > 0;
            // Older kernels do not count kills; hitting the limit at all is the best evidence left.
            return long.Parse(File.ReadAllText(Path.Combine(_memory, "memory.failcnt")).Trim()) > 0;
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException) { return false; }
    }

    /// <summary>Kills whatever is left in the group (a fork bomb's children, say) and removes it.</summary>
    public void Destroy()
    {
        foreach (var dir in new[] { _pids, _memory })
        {
            for (int attempt = 0; attempt < 50 && Directory.Exists(dir); attempt++)
            {
                try
                {
                    foreach (var line in File.ReadAllLines(Path.Combine(dir, "cgroup.procs")))
                        if (int.TryParse(line, out var pid)) Kill(pid);
                    Directory.Delete(dir);
                }
                catch (IOException) { Thread.Sleep(10); }
                catch (UnauthorizedAccessException) { return; }
            }
        }
    }

    private static void Kill(int pid)
    {
        try { System.Diagnostics.Process.GetProcessById(pid).Kill(); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception) { }
    }

    private static void TryWrite(string path, string value)
    {
        try { File.WriteAllText(path, value); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
