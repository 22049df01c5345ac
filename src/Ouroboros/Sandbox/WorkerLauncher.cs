using System.Collections.Concurrent;

namespace Ouroboros.Sandbox;

/// <summary>
/// The one thread every worker process is started from. Workers run under
/// <c>bwrap --die-with-parent</c>, i.e. <c>PR_SET_PDEATHSIG(SIGKILL)</c>, which fires when the
/// parent <em>thread</em> exits, not the parent process. Started from a thread-pool thread, a worker
/// was killed mid-program (<c>exit code 137</c>) whenever .NET retired that idle pool thread, 20 s
/// later: it changed scores and adoptions under load. This thread never exits while the host runs.
/// </summary>
internal static class WorkerLauncher
{
    private static readonly BlockingCollection<Action> Requests = [];

    static WorkerLauncher()
    {
        // A background thread: it must not keep the host alive, and it dies with the host, as do
        // the workers then.
        new Thread(Serve) { IsBackground = true, Name = "ouro-launcher" }.Start();
    }

    /// <summary>Runs <paramref name="start"/> (a process start, its cgroup's setup) on the launcher thread.</summary>
    public static Task<T> RunAsync<T>(Func<T> start)
    {
        // Continuations must not run on the launcher: it would then serve the caller's code, and
        // other starts would wait behind it.
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add(() =>
        {
            try { done.SetResult(start()); }
            catch (Exception e) { done.SetException(e); }
        });
        return done.Task;
    }

    private static void Serve()
    {
        foreach (var request in Requests.GetConsumingEnumerable()) request();
    }
}
