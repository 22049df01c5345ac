using System.Diagnostics;

namespace Ouroboros.Sandbox;

/// <summary>
/// How workers are started: under bubblewrap when it works here (no network, read-only system
/// binds, private tmpfs, new PID and IPC namespaces, no host environment), as an unprivileged uid,
/// in per-worker cgroups when running as root, under rlimits always. Probed once per pool.
/// </summary>
internal sealed class Isolation : IDisposable
{
    public const int Nobody = 65534;

    private Isolation(string dotnet, string workerDirectory, string? bubblewrap, bool dropToNobody, bool cgroups, string summary)
    {
        Dotnet = dotnet; WorkerDirectory = workerDirectory; Bubblewrap = bubblewrap;
        DropToNobody = dropToNobody; Cgroups = cgroups; Summary = summary;
    }

    public string Dotnet { get; }
    public string WorkerDirectory { get; }
    /// <summary>Path of bwrap, or null when workers run as plain child processes.</summary>
    public string? Bubblewrap { get; }
    public bool DropToNobody { get; }
    public bool Cgroups { get; }
    /// <summary>One line saying what isolation is in force, for logs and reports.</summary>
    public string Summary { get; }

    public static Isolation Detect(bool requireBubblewrap)
    {
        var dotnet = FindDotnet();
        var worker = StageWorker();
        var root = System.Environment.UserName == "root";
        var dropToNobody = root && File.Exists("/usr/bin/setpriv");
        var cgroups = CgroupLimits.Available();
        if (cgroups) CgroupLimits.SweepStale();
        var bwrap = new[] { "/usr/bin/bwrap", "/bin/bwrap", "/usr/local/bin/bwrap" }.FirstOrDefault(File.Exists);
        string? why = bwrap is null ? "bubblewrap is not installed (sudo apt-get install -y bubblewrap)" : null;
        if (bwrap is not null && !Probe(bwrap, dotnet, worker, dropToNobody, out var error))
        {
            why = $"bubblewrap cannot create a sandbox here ({error})";
            bwrap = null;
        }
        if (bwrap is null && requireBubblewrap)
            throw new InvalidOperationException($"The sandbox requires bubblewrap, but {why}.");
        var summary = (bwrap is not null
                ? "bubblewrap (no network, read-only system, private /tmp, new PID and user namespaces, no nested namespaces)"
                : $"NO OS SANDBOX: {why}; candidates run as plain child processes")
            + (dropToNobody ? ", uid nobody" : "")
            + (cgroups ? ", cgroup memory and process caps" : ", GC heap limit (no cgroups without root)");
        return new Isolation(dotnet, worker, bwrap, dropToNobody, cgroups, summary);
    }

    /// <summary>The command line that starts one worker (before any cgroup entry).</summary>
    public List<string> Command(int memoryMb)
    {
        var command = new List<string>();
        if (DropToNobody) command.AddRange(["/usr/bin/setpriv", $"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", "--"]);
        if (File.Exists("/usr/bin/prlimit"))
        {
            command.AddRange(["/usr/bin/prlimit", "--core=0", "--nofile=256", $"--fsize={64L << 20}"]);
            // RLIMIT_NPROC counts every process of the worker's uid, all workers together: with a pids
            // cgroup per worker it would only let one candidate's fork bomb starve the others; without
            // root it is the only process cap there is.
            if (!Cgroups) command.Add("--nproc=4096");
            command.Add("--");
        }
        if (Bubblewrap is not null) command.AddRange(BubblewrapArguments(Bubblewrap, Dotnet, WorkerDirectory, memoryMb));
        command.Add(Dotnet);
        command.Add(Path.Combine(Bubblewrap is not null ? "/worker" : WorkerDirectory, "Ouroboros.Worker.dll"));
        return command;
    }

    /// <summary>The worker's whole environment: nothing of the host's (so no API keys) crosses.</summary>
    public static Dictionary<string, string> Environment(int memoryMb) => new()
    {
        ["PATH"] = "/usr/bin:/bin",
        ["HOME"] = "/tmp",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_EnableDiagnostics"] = "0", // no debugger or profiler pipes in /tmp
        ["DOTNET_gcServer"] = "0",
        ["DOTNET_GCHeapHardLimit"] = ((long)memoryMb * 1024 * 1024 * 3 / 4).ToString("X"),
        ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1",
    };

    private static IEnumerable<string> BubblewrapArguments(string bwrap, string dotnet, string worker, int memoryMb)
    {
        var args = new List<string>
        {
            bwrap, "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
            "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
            "--symlink", "usr/bin", "/bin", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
            "--ro-bind", worker, "/worker", "--chdir", "/tmp", "--uid", $"{Nobody}", "--gid", $"{Nobody}", "--clearenv",
        };
        foreach (var (key, value) in Environment(memoryMb)) args.AddRange(["--setenv", key, value]);
        var dotnetRoot = Path.GetDirectoryName(dotnet)!;
        if (!dotnetRoot.StartsWith("/usr/", StringComparison.Ordinal)) args.AddRange(["--ro-bind", dotnetRoot, dotnetRoot]);
        return args;
    }

    private static bool Probe(string bwrap, string dotnet, string worker, bool dropToNobody, out string error)
    {
        var start = new ProcessStartInfo(dropToNobody ? "/usr/bin/setpriv" : bwrap) { RedirectStandardError = true, RedirectStandardOutput = true };
        var args = new List<string>();
        if (dropToNobody) args.AddRange([$"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", "--"]);
        args.AddRange(BubblewrapArguments(bwrap, dotnet, worker, 256).Skip(dropToNobody ? 0 : 1));
        args.Add("/bin/true");
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        error = stderr.Trim().Split('\n').FirstOrDefault() ?? $"exit {process.ExitCode}";
        return process.ExitCode == 0;
    }

    private static string FindDotnet()
    {
        var self = System.Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        var root = System.Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (root is not null && File.Exists(Path.Combine(root, "dotnet"))) return Path.Combine(root, "dotnet");
        foreach (var dir in (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            var candidate = Path.Combine(dir, "dotnet");
            if (File.Exists(candidate)) return new FileInfo(candidate).ResolveLinkTarget(true)?.FullName ?? candidate;
        }
        throw new InvalidOperationException("Cannot find the dotnet host to start sandbox workers; set DOTNET_ROOT.");
    }

    /// <summary>
    /// Copies the worker beside the host into a fresh world-readable folder of this pool's own
    /// under /tmp: the unprivileged worker cannot read a build folder under /root, and a folder
    /// made anew each time cannot have been planted by another user.
    /// </summary>
    private static string StageWorker()
    {
        var source = Path.Combine(AppContext.BaseDirectory, "worker");
        if (!File.Exists(Path.Combine(source, "Ouroboros.Worker.dll")))
            throw new InvalidOperationException($"The sandbox worker is missing from {source}; rebuild Ouroboros (dotnet build).");
        SweepStaleStagings();
        var target = Directory.CreateTempSubdirectory($"ouroboros-worker-{System.Environment.ProcessId}-").FullName;
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
            File.SetUnixFileMode(destination, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
        foreach (var dir in Directory.GetDirectories(target, "*", SearchOption.AllDirectories).Append(target))
            File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        return target;
    }

    private static void SweepStaleStagings()
    {
        foreach (var dir in Directory.GetDirectories(Path.GetTempPath(), "ouroboros-worker-*"))
        {
            var parts = Path.GetFileName(dir).Split('-');
            if (parts.Length == 4 && int.TryParse(parts[2], out var owner) && !Directory.Exists($"/proc/{owner}"))
                try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Removes the staged worker folder.</summary>
    public void Dispose()
    {
        try { Directory.Delete(WorkerDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
