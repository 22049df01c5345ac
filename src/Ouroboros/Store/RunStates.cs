namespace Ouroboros.Store;

/// <summary>A run's status as stored: <c>running</c>, <c>finished</c>, <c>failed</c>, or <c>interrupted</c> (Ctrl-C, SIGTERM: resumable).</summary>
public static class RunStates
{
    public const string Running = "running", Finished = "finished", Failed = "failed", Interrupted = "interrupted";
}
