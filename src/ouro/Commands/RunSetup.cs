using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Ouroboros.Models;
using Ouroboros.Sandbox;
using Ouroboros.Stop;
using Ouroboros.Store;
using Ouroboros.Tasks;

namespace Ouroboros.Cli.Commands;

/// <summary>
/// What a run needs before it starts, checked in full before anything is written: the task, the
/// model (spec, key, reachability), the budgets. Then the common frame of every run: the pool, the
/// progress display, Ctrl-C, and the final status in the store.
/// </summary>
internal sealed record RunSetup(DownstreamTask Task, IChatClient Model, string ModelDescription, StopOptions Options)
{
    public static RunSetup Prepare(JsonObject config, RunStore store, string runId, string? replayOf = null)
    {
        var catalog = TasksCommand.LoadCatalog((string?)config["tasksDir"] is { } dir ? new DirectoryInfo(dir) : null);
        var task = RunOptions.FindTask(catalog, (string?)config["task"] ?? "lpn");
        var spec = ModelOptions.ParseSpec((string?)config["model"] ?? "offline");
        var concurrent = (int?)config["maxConcurrentRequests"] ?? 4;
        if (concurrent < 1) throw new UserError($"--max-concurrent-requests must be at least 1; got {concurrent}.");
        StopOptions options;
        try
        {
            options = new StopOptions
            {
                Iterations = (int?)config["iterations"] ?? 3,
                MetaUtilityRuns = (int?)config["runs"] ?? 5,
                MaxResponsesPerCall = (int?)config["responsesPerCall"] ?? 6,
                ModelBudget = (int?)config["modelBudget"] ?? 4,
                ImproverTimeLimit = TimeSpan.FromSeconds((int?)config["improverTimeoutSeconds"] ?? 60),
                Seed = (ulong?)config["seed"] ?? 1,
            }.Validate();
        }
        catch (ArgumentException e) { throw new UserError(e.Message); }
        var tokenBudget = ModelOptions.TokenBudget((long?)config["maxTokensPerLevel"]);
        IChatClient model;
        try { model = ModelPipeline.Build(new ModelSettings
            {
                Spec = spec, Seed = options.Seed, RunId = runId, ResponsesFrom = replayOf,
                KeyVariable = (string?)config["modelKeyEnv"], MaxConcurrentRequests = concurrent,
                BudgetFor = _ => tokenBudget,
                RecordReplay = replayOf is null ? RecordReplayMode.Record : RecordReplayMode.Replay,
            }, store); }
        catch (ModelConfigurationException e) { throw new UserError(e.Message); }
        if (replayOf is null) ModelReachability.Check(spec);
        var description = spec.Provider == ModelProvider.Offline ? "the offline program-mutation model (not a language model)" : spec.ToString();
        return new RunSetup(task, model, description, options);
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a fresh pool with live progress; stores its result and prints
    /// the report. Ctrl-C leaves the run resumable; a failure marks it failed.
    /// </summary>
    public static async Task<int> RunAsync(RunRecords records, string runId, CancellationToken cancellationToken,
        Func<WorkerPool, RunProgress, Task<JsonObject>> work, Func<JsonObject, RunRecords, JsonObject> report, bool json,
        int iterations = 1, Action<JsonObject>? print = null)
    {
        var progress = new RunProgress { Iterations = iterations, MetaUtilityBudget = new StopOptions().MetaUtilityBudget };
        try
        {
            await using var pool = await WorkerPool.StartAsync(cancellationToken: cancellationToken);
            JsonObject result;
            await using (new ProgressDisplay(progress)) result = await work(pool, progress);
            records.FinishRun(runId, result);
            var final = report(result, records);
            if (json) Console.WriteLine(final.ToJsonString());
            else (print ?? PrintPlain)(final);
            return ExitCodes.Ok;
        }
        catch (OperationCanceledException)
        {
            records.SetStatus(runId, RunRecords.Interrupted);
            Console.Error.WriteLine($"ouro: run {runId} interrupted; continue it with: ouro stop --resume {runId}");
            return ExitCodes.Interrupted;
        }
        catch
        {
            records.SetStatus(runId, RunRecords.Failed);
            throw;
        }
    }

    private static void PrintPlain(JsonObject report) =>
        Console.WriteLine(report.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
}
