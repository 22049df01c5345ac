using System.Globalization;

namespace Ouroboros.Worker;

/// <summary>
/// The thread candidates run on, started once per worker with a large stack and reused: starting
/// a thread per call cost about 0.3 ms of a 2 ms evaluation. A call that never returns is no
/// problem here: the host kills the whole worker.
/// </summary>
internal sealed class CandidateThread
{
    private const int StackBytes = 16 * 1024 * 1024;
    private readonly SemaphoreSlim _work = new(0, 1);
    private readonly SemaphoreSlim _done = new(0, 1);
    private Action? _next;

    public CandidateThread()
    {
        new Thread(Loop, StackBytes) { Name = "ouro-candidate", IsBackground = true }.Start();
    }

    /// <summary>Runs <paramref name="call"/> on the candidate thread and waits for it; exceptions stay inside <paramref name="call"/>.</summary>
    public void Run(Action call)
    {
        _next = call;
        _work.Release();
        _done.Wait();
    }

    private void Loop()
    {
        while (true)
        {
            _work.Wait();
            // What the previous program left on this thread does not carry over.
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
            try { _next!(); }
            finally
            {
                _next = null;
                _done.Release();
            }
        }
    }
}
