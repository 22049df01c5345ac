namespace Ouroboros.Store;

/// <summary>
/// A run's status as stored: <c>running</c>, <c>finished</c>, <c>failed</c>, or <c>interrupted</c> (Ctrl-C, SIGTERM: resumable);
/// and <c>stale</c>, never stored: a <c>running</c> run whose process is gone (its lease expired, or its holder on this host has exited).
/// </summary>
public static class RunStates
{
    public const string Running = "running", Finished = "finished", Failed = "failed", Interrupted = "interrupted";

    /// <summary>Derived when read, never stored: <c>running</c> in the store, but no process holds the run (SIGKILL, a lost machine). Resumable.</summary>
    public const string Stale = "stale";

    /// <summary>Every status a reader may see, stored or derived.</summary>
    public static readonly IReadOnlyList<string> All = [Running, Stale, Finished, Failed, Interrupted];
}
