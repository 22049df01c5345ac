using Ouroboros.Compilation;
using Ouroboros.Safety;

namespace Ouroboros.Sandbox;

/// <summary>
/// One program's invocations, on as many of the pool's workers as it takes: a worker that has to
/// die mid-program is replaced and the rest resume on the next. Decides whom a failure charges: a
/// failure before the program began is never charged to it, and every failure, whatever threw,
/// ends in a result and a killed, released worker, never in an exception out of the pool (the
/// caller's own cancellation aside).
/// </summary>
internal sealed class ProgramDispatch(
    WorkerPool pool, ProgramRequest request, CompiledProgram program, SandboxLimits limits,
    InvocationResult?[] results, List<SafetyEvent> events, int depth, LevelSlot? slot = null)
{
    /// <summary>How many fresh workers a program is retried on after workers died before it began.</summary>
    private const int Retries = 2;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        int next = 0, retries = 0, retriedAt = -1;
        var fresh = false;
        // Programs whose worker died before this one began on it (or in its first invocation there).
        // They are named once a fresh worker has taken this program in (and, for a death in the
        // first invocation, has run it without dying): only then is the death not this program's.
        var suspects = new List<SafetyEvent>();
        while (next < results.Length)
        {
            WorkerProcess worker;
            try
            {
                worker = fresh ? await pool.StartWorkerAsync(limits.MemoryMb, cancellationToken)
                               : await pool.AcquireAsync(limits.MemoryMb, events, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The host could not start a worker: its trouble, not the program's; no event names it.
                Fail(next, $"no sandbox worker could be started: {e.Message}");
                return;
            }

            var session = new WorkerSession(worker, request, program, limits, next, results, events, depth, pool.NextRunId(), slot);
            try { next = await session.RunAsync(cancellationToken); }
            catch (WorkerUnavailableException e)
            {
                End(worker);
                if (worker.LastProgram is { } previous && retries++ < Retries)
                {
                    // The worker had served another program, whose leftovers may have ended it
                    // (a late callback, a flood of memory): try a worker no program has touched.
                    // Only a death before this program began can be the previous program's doing
                    // alone: a death inside its first invocation may be its own, on purpose (a
                    // program can tell a used worker from a fresh one, and die only on the used
                    // one to frame the program before it), so that names no one.
                    if (!e.MidProgram)
                        suspects.Add(new SafetyEvent(SafetyEventKinds.Crashed, previous,
                            $"the worker this program ran on died before the next program began on it: {e.Message}"));
                    retriedAt = e.MidProgram ? next : retriedAt;
                    fresh = true;
                    continue;
                }
                if (e.MidProgram)
                {
                    // Out of retries: charged as any death in an invocation.
                    results[next] = new InvocationResult(RunStatus.Crashed, null, "", e.Message, 0);
                    lock (events) events.Add(new SafetyEvent(SafetyEventKinds.Crashed, program.Hash, e.Message));
                    next++;
                    if (request.StopAtFirstFailure) break;
                    continue;
                }
                // A worker no other program touched could not take this one in either. The frame it
                // was sent is the program's image (capped at compile time) and the invocations'
                // arguments, which the caller chose: the inputs are the cause, so no event names
                // the program (nor the suspects: the earlier deaths are explained the same way).
                Fail(next, $"before the program began: {e.Message}");
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Mid-program, the worker's state is unknown: it serves nobody else.
                End(worker);
                throw;
            }
            catch (Exception e)
            {
                // Anything else the host's side of a session threw (a frame too large to encode,
                // say) ends the same way as a crash: a result, an event naming the program, a killed
                // worker. It once escaped the pool, ended the command without a result line and,
                // through a utility, leaked a worker process and its cgroup on every call.
                End(worker);
                var why = $"the host could not run the program: {e.GetType().Name}: {e.Message}";
                Fail(next, why);
                lock (events) events.Add(new SafetyEvent(SafetyEventKinds.Crashed, program.Hash, why));
                return;
            }
            // The retried invocation died on a fresh worker too: the program dies on its own, and
            // the earlier death is no evidence against the program before it.
            var diedAgain = retriedAt >= 0 && results[retriedAt] is { Status: RunStatus.Crashed or RunStatus.MemoryLimit };
            if (!diedAgain) lock (events) events.AddRange(suspects);
            suspects.Clear();
            retriedAt = -1;
            fresh = false;
            worker.LastProgram = program.Hash;
            // Without the policy a program may have changed the process in ways no check can see
            // (a registered provider, say): its worker serves no other program.
            if (!request.ApplyPolicy) worker.Kill();
            pool.Release(worker);
            if (request.StopAtFirstFailure && results.Take(next).Any(r => r is { Status: not RunStatus.Ok })) break;
        }
    }

    private void End(WorkerProcess worker)
    {
        worker.Kill();
        pool.Release(worker);
    }

    /// <summary>Every invocation from <paramref name="from"/> on that has no result yet crashed, for <paramref name="why"/>.</summary>
    private void Fail(int from, string why)
    {
        for (int i = from; i < results.Length; i++)
            results[i] ??= new InvocationResult(RunStatus.Crashed, null, "", why, 0);
    }
}
