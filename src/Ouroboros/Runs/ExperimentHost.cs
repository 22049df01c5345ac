using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Ouroboros.Sandbox;
using Ouroboros.Store;

namespace Ouroboros.Runs;

/// <summary>
/// The run frame: starts a sandbox pool, builds the run's context, runs the experiment, and keeps
/// the run's status in the store — <c>finished</c> with its result and model usage, <c>interrupted</c>
/// when cancelled (SIGINT, SIGTERM: resumable), <c>failed</c> when it broke.
/// </summary>
public static class ExperimentHost
{
    private static readonly JsonSerializerOptions ResultJson = new(JsonSerializerDefaults.Web);

    public static async Task<TResult> RunAsync<TOptions, TResult>(IExperiment<TOptions, TResult> experiment, TOptions options,
        IRunStore store, string runId, IChatClient model, RunProgress progress, CancellationToken cancellationToken,
        ISandbox? sandbox = null) where TOptions : ExperimentOptions
    {
        try
        {
            // A fresh pool per run unless the caller brings a sandbox (a test's, a shared one).
            // Its idle workers cover the improver runs that go side by side, so bursts start none.
            var poolOptions = new WorkerPoolOptions();
            poolOptions = poolOptions with { IdleWorkers = 2 * poolOptions.Workers + options.Parallel };
            await using var pool = sandbox is null ? await WorkerPool.StartAsync(poolOptions, cancellationToken) : null;
            var run = new RunContext(runId, store, sandbox ?? pool!, model, progress, options.Parallel);
            TResult result;
            try { result = await experiment.RunAsync(run, options, cancellationToken); }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Marked before the pool is taken down: a scheduler's SIGKILL may follow soon.
                store.Journal.SetStatus(runId, RunStates.Interrupted);
                throw;
            }
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
        catch
        {
            store.Journal.SetStatus(runId, RunStates.Failed);
            throw;
        }
    }
}
