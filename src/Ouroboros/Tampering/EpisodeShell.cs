using System.Diagnostics;
using System.Text;
using Ouroboros.Sandbox;

namespace Ouroboros.Tampering;

/// <summary>
/// A real <c>bash</c> for one episode, in the project's bubblewrap sandbox: no network, no host
/// files (only <c>/usr</c> read-only, for bash and python3), a private <c>/tmp</c>, the episode's own
/// tree bound in at its top-level folders (<c>/root</c>, <c>/rl_environment</c>, ...), uid nobody, and
/// when run as root the launcher itself drops to nobody and a cgroup caps memory and processes.
/// One shell lives across the episode's commands, so <c>cd</c>, variables and files persist; each
/// command is handed over base64-encoded and <c>eval</c>'d, so no quoting in it can swallow what
/// follows, and its end is marked by a random token it never sees. Disposing kills the sandbox and
/// everything left in it.
/// </summary>
public sealed class EpisodeShell : IAsyncDisposable
{
    private const string Bwrap = "/usr/bin/bwrap";
    private static int _groups;

    private readonly string _tree;
    private readonly ShellLimits _limits;
    private Process? _bash;
    private CgroupLimits? _cgroup;

    private EpisodeShell(string tree, ShellLimits limits)
    {
        _tree = tree;
        _limits = limits;
    }

    /// <summary>Whether this machine can run episode shells (bubblewrap and bash are installed).</summary>
    public static bool Available => File.Exists(Bwrap) && File.Exists("/usr/bin/bash");

    /// <summary>A shell over <paramref name="tree"/>, a host folder whose top-level folders appear at <c>/</c> in the sandbox.</summary>
    public static EpisodeShell Open(string tree, ShellLimits limits)
    {
        if (!Available) throw new InvalidOperationException("episode shells need bubblewrap and bash (sudo apt-get install -y bubblewrap)");
        return new EpisodeShell(tree, limits);
    }

    /// <summary>Runs <paramref name="command"/> in the episode's shell and returns its capped output.</summary>
    public async Task<ShellResult> RunAsync(string command, CancellationToken cancellationToken)
    {
        var bash = _bash is { HasExited: false } ? _bash : _bash = Start();
        var token = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var script = new StringBuilder()
            .Append("__ouro_cmd=$(printf %s '").Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(command))).Append("' | base64 -d)\n")
            .Append("eval \"$__ouro_cmd\" </dev/null\n")
            .Append("printf '\\n").Append(token).Append(" %d\\n' \"$?\"; printf '\\n").Append(token).Append("\\n' >&2\n");
        var stdout = new CappedReader(bash.StandardOutput, token, _limits.OutputBytes);
        var stderr = new CappedReader(bash.StandardError, token, _limits.OutputBytes);
        try
        {
            await bash.StandardInput.WriteAsync(script, cancellationToken);
            await bash.StandardInput.FlushAsync(cancellationToken);
        }
        catch (IOException) { /* the shell exited (the command ran `exit`); its output is read below */ }

        // Reads on a pipe do not all honour cancellation: on time out the sandbox is killed, which closes the pipes.
        var reading = Task.WhenAll(stdout.ReadAsync(), stderr.ReadAsync());
        bool timedOut = await Task.WhenAny(reading, Task.Delay(_limits.CommandTimeout, cancellationToken)) != reading;
        if (timedOut)
        {
            Kill();
            await reading.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
            cancellationToken.ThrowIfCancellationRequested();
        }
        if (timedOut || !stdout.Ended)
        {
            // Out of time, or the shell itself ended: whatever it left running dies with its sandbox.
            Kill();
            _bash = null;
        }
        int exit = stdout.Status ?? (timedOut ? 124 : 1);
        var err = stderr.Text;
        if (timedOut) err += $"{(err.Length > 0 ? "\n" : "")}the command ran past its {_limits.CommandTimeout.TotalSeconds:0} s limit and was stopped; the shell was restarted (files kept, variables and working directory reset)";
        else if (!stdout.Ended) err += $"{(err.Length > 0 ? "\n" : "")}the shell exited; a fresh one was started (files kept)";
        bool full = TreeSize(_tree) > _limits.TreeBytes;
        return new ShellResult(stdout.Text.TrimEnd('\n'), err.TrimEnd('\n'), exit, timedOut, stdout.Truncated || stderr.Truncated, full);
    }

    private Process Start()
    {
        var args = new List<string>
        {
            Bwrap, "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
            "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
            "--symlink", "usr/bin", "/bin", "--symlink", "usr/sbin", "/sbin", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
        };
        foreach (var top in Directory.GetDirectories(_tree).Order(StringComparer.Ordinal))
            args.AddRange(["--bind", top, "/" + Path.GetFileName(top)]);
        var home = Directory.Exists(Path.Combine(_tree, "root")) ? "/root" : "/tmp";
        args.AddRange(["--chdir", home, "--uid", $"{Isolation.Nobody}", "--gid", $"{Isolation.Nobody}", "--clearenv",
            "--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin", "--setenv", "HOME", home, "--setenv", "LANG", "C.UTF-8",
            "--setenv", "PYTHONDONTWRITEBYTECODE", "1",
            // Hard limits a command cannot raise: the size of any one file it writes, CPU seconds per process.
            "/usr/bin/bash", "--noprofile", "--norc", "-c",
            $"ulimit -H -S -f {_limits.FileBytes / 1024} && ulimit -H -S -t {Math.Max(1, (int)_limits.CommandTimeout.TotalSeconds * 3)} && exec /usr/bin/bash --noprofile --norc"]);

        bool root = Environment.UserName == "root";
        if (root)
        {
            // Run as the real nobody, so a way out of the namespaces lands with no rights: the tree must be its own.
            Chown(_tree);
            if (CgroupLimits.Available())
                _cgroup = CgroupLimits.Create($"ouroboros-{Environment.ProcessId}-shell{Interlocked.Increment(ref _groups)}", _limits.MemoryMb, _limits.MaxProcesses);
            var dropped = new List<string> { "/usr/bin/setpriv", $"--reuid={Isolation.Nobody}", $"--regid={Isolation.Nobody}", "--clear-groups", "--" };
            dropped.AddRange(args);
            args = dropped;
            if (_cgroup is not null)
                args = ["/bin/sh", "-c", "echo $$ > \"$1\" && echo $$ > \"$2\" && shift 2 && exec \"$@\"", "sh", .. _cgroup.ProcsFiles, .. args];
        }
        var start = new ProcessStartInfo(args[0])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8, StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in args.Skip(1)) start.ArgumentList.Add(a);
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/bin:/bin";
        return Process.Start(start) ?? throw new InvalidOperationException("bubblewrap did not start");
    }

    private static void Chown(string tree)
    {
        // -h: a link the last episode left is changed itself, never what it points at on the host.
        using var chown = Process.Start(new ProcessStartInfo("/usr/bin/chown", ["-R", "-h", $"{Isolation.Nobody}:{Isolation.Nobody}", tree]))!;
        chown.WaitForExit();
        if (chown.ExitCode != 0) throw new IOException($"could not give the episode's files to nobody (chown exit {chown.ExitCode})");
    }

    private void Kill()
    {
        try { _bash?.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        try { _bash?.WaitForExit(2000); } catch (InvalidOperationException) { }
        _bash?.Dispose();
    }

    /// <summary>Bytes of the episode's files on the host (links not followed).</summary>
    public static long TreeSize(string tree) =>
        new DirectoryInfo(tree).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })
            .Sum(f => f.Length);

    public ValueTask DisposeAsync()
    {
        Kill();
        _bash = null;
        _cgroup?.Destroy();
        _cgroup = null;
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Reads one stream up to the end-of-command token (a line of its own), keeping at most a cap of
    /// what came before it. Reads in blocks, never whole lines: a command may print gigabytes without
    /// a newline, and the host must hold no more than the cap of it.
    /// </summary>
    private sealed class CappedReader(StreamReader reader, string token, int cap)
    {
        private readonly StringBuilder _kept = new();
        private readonly string _marker = "\n" + token;
        private long _consumed;
        private long _markerAt = -1;
        private readonly StringBuilder _afterMarker = new();

        public bool Truncated { get; private set; }
        public bool Ended { get; private set; }
        public int? Status { get; private set; }

        public string Text => Truncated ? _kept + $"\n[output truncated at {cap} characters]" : _kept.ToString();

        public async Task ReadAsync()
        {
            var window = new StringBuilder();
            var buffer = new char[4096];
            int n;
            while ((n = await reader.ReadAsync(buffer)) > 0)
            {
                for (int i = 0; i < n; i++)
                {
                    char c = buffer[i];
                    _consumed++;
                    if (_markerAt >= 0)
                    {
                        if (c == '\n')
                        {
                            Ended = true;
                            if (int.TryParse(_afterMarker.ToString().Trim(), out var status)) Status = status;
                            return;
                        }
                        if (_afterMarker.Length < 32) _afterMarker.Append(c);
                        continue;
                    }
                    if (_kept.Length < cap + _marker.Length) _kept.Append(c);
                    else Truncated = true;
                    window.Append(c);
                    if (window.Length > _marker.Length) window.Remove(0, window.Length - _marker.Length);
                    if (window.Length == _marker.Length && window.Equals(_marker))
                    {
                        _markerAt = _consumed - _marker.Length;
                        // What came before the marker is the command's output; keep the cap of it.
                        int before = (int)Math.Min(_markerAt, _kept.Length);
                        _kept.Length = before;
                        if (_kept.Length > cap) { _kept.Length = cap; Truncated = true; }
                    }
                }
            }
        }
    }
}
