namespace Ouroboros.Store;

/// <summary>Who holds a run's lease: a process (its host and pid, for people) and a random token (so two holders never pass for each other).</summary>
public sealed record LeaseHolder(string Host, int Pid, string Token)
{
    public override string ToString() => $"{Host} pid {Pid}";
}

/// <summary>A run's lease as stored: its holder, when it expires unless renewed, and when it was last renewed (the run's heartbeat).</summary>
public sealed record RunLeaseRow(string RunId, LeaseHolder Holder, DateTimeOffset Until, DateTimeOffset RenewedAt)
{
    /// <summary>What the run said it was doing at its last heartbeat (its phase, its iteration), if it said.</summary>
    public string? Progress { get; init; }
}

/// <summary>
/// Leases on runs: which one process may resume or write a run now. Taking one is atomic — one
/// conditional update, so of two processes that try at once exactly one succeeds (SQLite: an
/// <c>UPDATE ... WHERE</c> the lease is free; a server store: the same, or <c>SELECT ... FOR UPDATE SKIP LOCKED</c>).
/// A holder says for how long, never until when: expiry is measured on the store's clock.
/// </summary>
public interface IRunLeases
{
    /// <summary>
    /// Takes run <paramref name="runId"/>'s lease for <paramref name="holder"/> for <paramref name="expiry"/>
    /// when no one holds it, its lease has expired, or its holder is <paramref name="replacing"/> (one the
    /// caller knows is gone). Otherwise false, with the lease that stands (null when there is no such run).
    /// </summary>
    bool TryTake(string runId, LeaseHolder holder, TimeSpan expiry, LeaseHolder? replacing, out RunLeaseRow? standing);

    /// <summary>Extends <paramref name="holder"/>'s lease by <paramref name="expiry"/> from now; false when it holds it no longer.</summary>
    /// <remarks><paramref name="progress"/>, when given, is kept as what the run is doing (<see cref="RunLeaseRow.Progress"/>).</remarks>
    bool Renew(string runId, LeaseHolder holder, TimeSpan expiry, string? progress = null);

    /// <summary>Gives the lease up, if <paramref name="holder"/> still holds it.</summary>
    void Release(string runId, LeaseHolder holder);

    /// <summary>Run <paramref name="runId"/>'s lease, or null when no one holds it.</summary>
    RunLeaseRow? Get(string runId);

    /// <summary>Every lease held, expired ones included.</summary>
    IReadOnlyList<RunLeaseRow> All();
}
