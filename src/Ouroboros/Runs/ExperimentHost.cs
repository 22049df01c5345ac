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
/// when cancelled (SIGINT, SIGTERM: resumable), <c>failed</c> with the reason when it broke. A run
/// whose model keeps failing (<see cref="ExperimentOptions.MaxConsecutiveModelFaults"/> calls in a
/// row) is stopped and marked <c>failed</c>, resumable: it throws <see cref="ModelUnavailableException"/>.
/// </summary>
public static class ExperimentHost
{
    private static readonly JsonSerializerOptions ResultJson = new(JsonSerializerDefaults.Web);

    public static async Task<TResult> RunAsync<TOptions, TResult>(IExperiment<TOptions, TResult> experiment, TOptions options,
        IRunStore store, string runId, IChatClient model, RunProgress progress, CancellationToken cancellationToken,
        ISandbox? sandbox = null) where TOptions : ExperimentOptions
    {
        // Not disposed: that would dispose the caller's model with it.
        var guard = new FaultStreakChatClient(model, options.MaxConsecutiveModelFaults);
        // The experiment sees one token: the user's stop, or the model gone.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, guard.Tripped);
        try
        {
            // A fresh pool per run unless the caller brings a sandbox (a test's, a shared one).
            // Its idle workers cover the improver runs that go side by side, so bursts start none.
            var poolOptions = new WorkerPoolOptions();
            poolOptions = poolOptions with { IdleWorkers = 2 * poolOptions.Workers + options.Parallel };
            await using var pool = sandbox is null ? await WorkerPool.StartAsync(poolOptions, cancellationToken) : null;
            var run = new RunContext(runId, store, sandbox ?? pool!, guard, progress, options.Parallel);
            TResult result;
            try { result = await experiment.RunAsync(run, options, stop.Token); }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Marked before the pool is taken down: a scheduler's SIGKILL may follow soon.
                store.Journal.SetStatus(runId, RunStates.Interrupted);
                throw;
            }
            catch (Exception) when (guard.Reason is { } reason)
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
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            store.Journal.SetStatus(runId, RunStates.Interrupted);
            throw;
        }
        catch (ModelUnavailableException)
        {
            throw;
        }
        catch (Exception e)
        {
            store.Journal.FailRun(runId, e.Message);
            throw;
        }
    }

    private static ModelUnavailableException ModelGone(IRunStore store, string runId, string reason)
    {
        store.Journal.FailRun(runId, reason);
        return new ModelUnavailableException(reason);
    }
}
