using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Ouroboros.Models;
using Ouroboros.Sandbox;
using Ouroboros.Store;

namespace Ouroboros.Runs;

/// <summary>
/// The run frame: starts a sandbox pool, builds the run's context, runs the experiment, and keeps
/// the run's status in the store — <c>finished</c> with its result and model usage, <c>interrupted</c>
/// when cancelled (SIGINT, SIGTERM: resumable), <c>failed</c> with the reason when it broke — while
/// holding the run's lease (<see cref="RunLease"/>), so no other process writes the run meanwhile. A run
/// whose model keeps failing (<see cref="ExperimentOptions.MaxConsecutiveModelFaults"/> calls in a
/// row) is stopped and marked <c>failed</c>, resumable: it throws <see cref="ModelUnavailableException"/>.
/// A run whose store fails (full disk, I/O error) is marked <c>interrupted</c> where it still can be, and
/// resumes once the store is fixed: it throws <see cref="StoreFaultedRunException"/>.
/// </summary>
public static class ExperimentHost
{
    private static readonly JsonSerializerOptions ResultJson = new(JsonSerializerDefaults.Web);

    public static async Task<TResult> RunAsync<TOptions, TResult>(IExperiment<TOptions, TResult> experiment, TOptions options,
        IRunStore store, string runId, IChatClient model, RunProgress progress, CancellationToken cancellationToken,
        ISandbox? sandbox = null, RunLease? lease = null) where TOptions : ExperimentOptions
    {
        // Only the holder of the run's lease writes it: a caller that took it (at creation, on resume)
        // passes it and gives it up afterwards; otherwise it is taken here and given up when the run ends.
        using var taken = lease is null ? RunLease.Take(store, runId) : null;
        var held = lease ?? taken!;
        // Each heartbeat says what the run is doing, for readers in other processes.
        held.Progress = () => progress.Summary;
        // Not disposed: that would dispose the caller's model with it.
        var guard = new FaultStreakChatClient(model, options.MaxConsecutiveModelFaults);
        // The experiment sees one token: the user's stop, the lease lost, or the model gone.
        using var running = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, held.Lost, guard.Tripped);
        // Marked the moment a stop is asked for, not once the work has unwound: a scheduler's SIGKILL
        // (or the command's own cut-off) may come first. A run that still finishes is marked finished.
        using var marking = cancellationToken.Register(() =>
        {
            if (held.Lost.IsCancellationRequested) return;
            try { store.Journal.SetStatus(runId, RunStates.Interrupted); }
            catch (Exception) { /* the store may be failing too; the run then reads as stale and resumes */ }
        });
        try
        {
            // A fresh pool per run unless the caller brings a sandbox (a test's, a shared one).
            // Its idle workers cover the improver runs that go side by side, so bursts start none.
            var poolOptions = new WorkerPoolOptions();
            poolOptions = poolOptions with { IdleWorkers = 2 * poolOptions.Workers + options.Parallel };
            await using var pool = sandbox is null ? await WorkerPool.StartAsync(poolOptions, running.Token) : null;
            var run = new RunContext(runId, store, sandbox ?? pool!, guard, progress, options.Parallel);
            TResult result;
            try { result = await experiment.RunAsync(run, options, running.Token); }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Marked before the pool is taken down: a scheduler's SIGKILL may follow soon.
                store.Journal.SetStatus(runId, RunStates.Interrupted);
                throw;
            }
            catch (Exception) when (guard.Reason is { } reason && !held.Lost.IsCancellationRequested)
            {
                throw ModelGone(store, runId, reason);
            }
            // Tripped by the last calls of a run that then ended anyway: its results lack those answers.
            if (guard.Reason is { } late) throw ModelGone(store, runId, late);
            var stored = JsonSerializer.SerializeToNode(result, ResultJson) as JsonObject ?? new JsonObject { ["value"] = JsonSerializer.SerializeToNode(result, ResultJson) };
            stored["modelUsage"] = JsonSerializer.SerializeToNode(run.Usage(), ResultJson);
            store.Journal.FinishRun(runId, stored);
            return result;
        }
        catch (OperationCanceledException) when (held.Lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw held.LostError(); // the run is another process's now: nothing more is written
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            store.Journal.SetStatus(runId, RunStates.Interrupted);
            throw;
        }
        catch (ModelUnavailableException)
        {
            throw;
        }
        catch (RunStoreException e) when (!held.Lost.IsCancellationRequested)
        {
            // The store broke, not the run: leave it resumable, as an interruption is.
            throw StoreFaulted(store, runId, e);
        }
        catch (Exception e) when (!held.Lost.IsCancellationRequested)
        {
            store.Journal.FailRun(runId, e.Message);
            throw;
        }
    }

    private static StoreFaultedRunException StoreFaulted(IRunStore store, string runId, RunStoreException fault)
    {
        try { store.Journal.SetStatus(runId, RunStates.Interrupted); return new(runId, fault, marked: true); }
        catch (RunStoreException) { return new(runId, fault, marked: false); }
    }

    private static ModelUnavailableException ModelGone(IRunStore store, string runId, string reason)
    {
        store.Journal.FailRun(runId, reason);
        return new ModelUnavailableException(reason);
    }
}
