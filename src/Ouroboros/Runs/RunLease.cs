using System.Globalization;
using Ouroboros.Store;

namespace Ouroboros.Runs;

/// <summary>
/// The lease of one run, held by this process while it writes the run: taken when the run is created
/// or resumed, renewed in the background (every <see cref="LeaseTiming.Renewal"/>), given up when the run
/// ends. A second process that tries to resume the run is refused (<see cref="RunLeaseHeldException"/>)
/// until the lease is released, expires (the process was killed, its machine lost), or its holder on
/// this host is seen to have exited. A lease this process can no longer renew — another took it after
/// it expired — cancels <see cref="Lost"/>, and the run stops writing.
/// </summary>
public sealed class RunLease : IDisposable
{
    private static readonly LeaseHolder Self = new(Environment.MachineName, Environment.ProcessId, "");

    private readonly IRunLeases _leases;
    private readonly LeaseTiming _timing;
    private readonly CancellationTokenSource _stop = new(), _lost = new();
    private readonly Task _heartbeat;
    private int _disposed;

    private RunLease(IRunLeases leases, string runId, LeaseHolder holder, LeaseTiming timing)
    {
        _leases = leases;
        RunId = runId;
        Holder = holder;
        _timing = timing;
        _heartbeat = Task.Run(HeartbeatAsync);
    }

    public string RunId { get; }
    public LeaseHolder Holder { get; }

    /// <summary>Cancelled when the lease was lost to another process: this one must stop writing the run.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>Takes run <paramref name="runId"/>'s lease, or throws <see cref="RunLeaseHeldException"/> naming who holds it.</summary>
    public static RunLease Take(IRunStore store, string runId, LeaseTiming? timing = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        timing ??= LeaseTiming.Current;
        var holder = Self with { Token = Guid.NewGuid().ToString("N") };
        if (store.Leases.TryTake(runId, holder, timing.Expiry, replacing: null, out var standing)) return new(store.Leases, runId, holder, timing);
        if (standing is null) throw new InvalidOperationException($"no run '{runId}' to lease");
        // Held and not expired: a holder on this host that has exited is replaced at once (a kill -9 is
        // resumable straight away); only that holder, so two who both saw it gone cannot both take it.
        if (IsGone(standing.Holder) && store.Leases.TryTake(runId, holder, timing.Expiry, standing.Holder, out _)) return new(store.Leases, runId, holder, timing);
        throw new RunLeaseHeldException(store.Leases.Get(runId) ?? standing);
    }

    /// <summary>
    /// How a run stands for a reader: its stored status, except that a <c>running</c> run no live process
    /// holds is <see cref="RunStates.Stale"/> — its lease expired or was never taken, or its holder on this
    /// host has exited.
    /// </summary>
    public static RunState StateOf(RunRow run, RunLeaseRow? lease, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Status != RunStates.Running) return new(run.Status, null, null);
        if (lease is null) return new(RunStates.Stale, null, null);
        bool stale = lease.Until < now || IsGone(lease.Holder);
        return new(stale ? RunStates.Stale : RunStates.Running, lease.RenewedAt, lease);
    }

    /// <summary>
    /// Whether <paramref name="holder"/> is a process on this host that no longer runs. A host name is
    /// taken to name one process table; a holder elsewhere is judged by its lease's expiry alone.
    /// </summary>
    public static bool IsGone(LeaseHolder holder)
    {
        ArgumentNullException.ThrowIfNull(holder);
        if (holder.Host != Environment.MachineName || holder.Pid == Environment.ProcessId) return false;
        var stat = $"/proc/{holder.Pid}/stat";
        if (Directory.Exists("/proc/self"))
        {
            try { return !File.Exists(stat) || ProcessState(File.ReadAllText(stat)) is 'Z' or 'X'; } // a zombie has exited
            catch (IOException) { return true; } // it went away while we looked
        }
        try { using var p = System.Diagnostics.Process.GetProcessById(holder.Pid); return p.HasExited; }
        catch (ArgumentException) { return true; }
        catch (InvalidOperationException) { return true; }
    }

    /// <summary>The state letter of a <c>/proc/PID/stat</c> line: the field after the command name in parentheses.</summary>
    private static char ProcessState(string stat) => stat.LastIndexOf(')') is var i and >= 0 && i + 2 < stat.Length ? stat[i + 2] : '?';

    /// <summary>What the run is doing, written with each heartbeat so readers (the dashboard, <c>ouro runs</c>) can show it.</summary>
    public Func<string?>? Progress { get; set; }

    private async Task HeartbeatAsync()
    {
        using var timer = new PeriodicTimer(_timing.Renewal);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                bool held;
                // A store busy past its timeout is not a lost lease: try again at the next tick.
                try { held = _leases.Renew(RunId, Holder, _timing.Expiry, Progress?.Invoke()); }
                catch (Exception e) when (e is not OperationCanceledException) { continue; }
                if (held) continue;
                _lost.Cancel();
                return;
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>The error for a run whose lease this process lost.</summary>
    public Exception LostError() => new InvalidOperationException(
        $"run {RunId}: another process took over its lease ({_leases.Get(RunId)?.Holder.ToString() ?? "now released"}) after this one failed to renew it for {_timing.Expiry.TotalSeconds:0} s; this process stopped writing the run");

    /// <summary>Stops the heartbeat and gives the lease up.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _stop.Cancel();
        _heartbeat.Wait();
        if (!_lost.IsCancellationRequested)
        {
            try { _leases.Release(RunId, Holder); }
            catch (ObjectDisposedException) { } // the store closed first; the lease expires by itself
            catch (RunStoreException) { } // the store cannot be written (a full disk): likewise
        }
        _stop.Dispose();
        _lost.Dispose();
    }
}

/// <summary>
/// How long a lease lasts unrenewed, and how often its holder renews it: 60 s and 10 s, so a holder
/// may miss five heartbeats (a store busy for a while, a paused machine) before another may take the run.
/// <c>OUROBOROS_LEASE_SECONDS=N</c> sets the expiry to N seconds (renewed every N/6); tests use a short one.
/// </summary>
public sealed record LeaseTiming(TimeSpan Expiry, TimeSpan Renewal)
{
    public const string Variable = "OUROBOROS_LEASE_SECONDS";

    public static LeaseTiming Default { get; } = new(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(10));

    /// <summary>The default, or what <see cref="Variable"/> says.</summary>
    public static LeaseTiming Current => FromEnvironment(Environment.GetEnvironmentVariable(Variable));

    public static LeaseTiming FromEnvironment(string? seconds)
    {
        if (string.IsNullOrWhiteSpace(seconds)) return Default;
        if (!double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) || !(s >= 1) || s > 86_400)
            throw new ArgumentException($"{Variable} must be a number of seconds between 1 and 86400, not '{seconds}'");
        return new(TimeSpan.FromSeconds(s), TimeSpan.FromSeconds(s / 6));
    }
}

/// <summary>How a run stands for a reader (<see cref="RunLease.StateOf"/>): its status, stored or derived, its last heartbeat and its lease.</summary>
public sealed record RunState(string Status, DateTimeOffset? Heartbeat, RunLeaseRow? Lease)
{
    /// <summary>The status as a person reads it: <c>running (stale: no heartbeat since …)</c> for a stale run.</summary>
    public string Text => Status switch
    {
        RunStates.Stale when Heartbeat is { } h => $"running (stale: no heartbeat since {h.ToUniversalTime():u})",
        RunStates.Stale => "running (stale: no heartbeat)",
        _ => Status,
    };
}

/// <summary>Another process holds the run: one line naming it and when its lease expires.</summary>
public sealed class RunLeaseHeldException(RunLeaseRow lease) : Exception(
    $"run {lease.RunId} is in use by {lease.Holder} (its lease runs until {lease.Until.ToUniversalTime():u} unless renewed); " +
    "wait for that process to end, or stop it, then resume")
{
    public RunLeaseRow Lease { get; } = lease;
}
