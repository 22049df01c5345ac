using System.CommandLine;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Ouroboros.Models;
using Ouroboros.Reporting;
using Ouroboros.Runs;
using Ouroboros.Store;
using Ouroboros.Tasks;

namespace Ouroboros.Cli.Commands;

/// <summary>
/// How every run command starts, watches and ends a run: every check before the store is touched
/// (the tasks, the model's key and reachability), then the run row with its configuration, live
/// progress on stderr, the engine's run frame (<see cref="ExperimentHost"/>), and the report.
/// Ctrl-C and SIGTERM leave the run <c>interrupted</c> and resumable; a model that stops answering
/// leaves it <c>failed</c> (exit 4), a STOP or tamper run resumable.
/// </summary>
internal static class ExperimentRun
{
    /// <summary>The task catalog an experiment's options name, or a one-line error.</summary>
    public static TaskCatalog Catalog(ExperimentOptions options)
    {
        try { return TaskCatalog.Load(options.TasksDir); }
        catch (TaskDefinitionException e) { throw new UserError(e.Message); }
    }

    /// <summary>The run's model pipeline; a missing key or an unreachable endpoint is the user's error, found before the run starts.</summary>
    public static IChatClient Model(ExperimentOptions options, IRunStore store, string runId, string? replayOf = null, Func<ModelSpec, IChatClient?>? scripts = null)
    {
        var spec = ModelSpec.Parse(options.Model);
        IChatClient model;
        try
        {
            model = ModelPipeline.Build(new ModelSettings
            {
                Spec = spec, Seed = options.Seed, RunId = runId, ResponsesFrom = replayOf, KeyVariable = options.ModelKeyEnv,
                MaxConcurrentRequests = options.MaxConcurrentRequests,
                Price = ModelPrices.For(spec, options.Prices), MaxCostUsd = options.MaxCostUsd,
                BudgetFor = _ => ModelBudget.DefaultPerLevel with { MaxTokens = options.MaxTokensPerLevel },
                RecordReplay = replayOf is null ? RecordReplayMode.Record : RecordReplayMode.Replay,
                Scripts = scripts,
            }, store);
        }
        catch (ModelConfigurationException e) { throw new UserError(e.Message); }
        if (replayOf is null) ModelReachability.Check(spec, options.ModelKeyEnv);
        return model;
    }

    /// <summary>How the model is named in a run's first line: the offline model is never called a language model.</summary>
    public static string Describe(ExperimentOptions options) => ModelSpec.Parse(options.Model) switch
    {
        { Provider: ModelProvider.Offline } => "the offline program-mutation model (not a language model)",
        { Provider: ModelProvider.Scripted } spec => $"the scripted policy '{spec.Model}' (a script, not a language model)",
        _ => options.Model,
    };

    /// <summary>Stores a new run's row (its kind and its full configuration, the file <c>--config</c> takes back) and takes its lease.</summary>
    public static RunLease Create(IRunStore store, string runId, ExperimentOptions options, Action<JsonObject>? extra = null)
    {
        var config = ConfigJson.Write(options);
        extra?.Invoke(config);
        store.Journal.CreateRun(runId, options.Kind, config);
        return Lease(store, runId);
    }

    /// <summary>
    /// The run <c>--resume</c> names and its stored options: refused in one line when it is not a
    /// <typeparamref name="TOptions"/> run (<paramref name="described"/> names that kind, e.g. "a STOP run"),
    /// has finished, or when a flag given now contradicts its stored configuration.
    /// </summary>
    public static (string RunId, TOptions Options) Resumed<TOptions>(IRunStore store, string reference, OptionBinder<TOptions> binder, System.CommandLine.ParseResult parse,
        string described) where TOptions : ExperimentOptions, new()
    {
        var row = Resumable(store, reference, new TOptions().Kind, described);
        var options = binder.FromStored(row.Config);
        binder.RefuseContradictions(parse, row.Config, $"run {row.Id}");
        return (row.Id, options);
    }

    /// <summary>Takes run <paramref name="runId"/>'s lease; held by another live process, it is the user's error (one line naming the holder).</summary>
    public static RunLease Lease(IRunStore store, string runId)
    {
        try { return RunLease.Take(store, runId); }
        catch (RunLeaseHeldException e) { throw new UserError(e.Message); }
        catch (ArgumentException e) { throw new UserError(e.Message); } // a bad OUROBOROS_LEASE_SECONDS
    }

    /// <summary>The kinds of run a command continues with <c>--resume</c>: <c>ouro KIND --resume RUN</c>.</summary>
    public static readonly IReadOnlySet<string> ResumableKinds = new HashSet<string> { "stop", "tamper", "self-reward", "w2s" };

    /// <summary>
    /// The stored row of the run <paramref name="reference"/> names, for <c>ouro <paramref name="kind"/> --resume</c>:
    /// an unknown run, one of another kind, or one already finished is the user's error, in one line.
    /// </summary>
    public static RunRow Resumable(IRunStore store, string reference, string kind, string described)
    {
        var runId = RunReference.Resolve(store, reference, store.Location);
        var row = store.Journal.GetRun(runId)!;
        if (row.Kind != kind) throw new UserError($"run {runId} is a '{row.Kind}' run, not {described}; only 'ouro {kind}' runs resume with 'ouro {kind} --resume'");
        if (row.Status == RunStates.Finished) throw new UserError($"run {runId} has already finished; read it with 'ouro report {runId}'");
        return row;
    }

    /// <summary>
    /// A run to resume with <c>ouro KIND --resume RUN</c>: its stored row (<see cref="Resumable"/>) and its stored
    /// configuration, validated, with any option given that contradicts it refused in one line.
    /// </summary>
    public static (RunRow Row, TOptions Options) Stored<TOptions>(OptionBinder<TOptions> binder, ParseResult parse, IRunStore store, string reference, string kind, string described)
        where TOptions : ExperimentOptions, new()
    {
        var row = Resumable(store, reference, kind, described);
        var options = binder.FromStored(row.Config);
        binder.RefuseContradictions(parse, row.Config, $"run {row.Id}");
        return (row, options);
    }

    /// <summary>
    /// Takes a resumed run's lease — refused, in one line, while another live process holds it — and
    /// marks it running. Its status is read again under the lease: another process may have finished it
    /// since it was first read.
    /// </summary>
    public static RunLease Resume(IRunStore store, string runId)
    {
        var lease = Lease(store, runId);
        if (store.Journal.GetRun(runId)!.Status == RunStates.Finished)
        {
            lease.Dispose();
            throw new UserError($"run {runId} has already finished; read it with 'ouro report {runId}'");
        }
        store.Journal.SetStatus(runId, RunStates.Running);
        return lease;
    }

    /// <summary>How a stopped run of <paramref name="kind"/> goes on: <c>ouro KIND --resume RUN</c>, where the kind resumes.</summary>
    private static string Continue(string kind, string runId, string when, string otherwise) =>
        ResumableKinds.Contains(kind) ? $"{when}continue it with: ouro {kind} --resume {runId}" : otherwise;

    /// <summary>Runs the experiment with live progress, then prints its report (tables, or JSON with <paramref name="json"/>).</summary>
    public static async Task<int> RunAsync<TOptions, TResult>(IExperiment<TOptions, TResult> experiment, TOptions options, IRunStore store, RunLease lease,
        IChatClient model, bool json, CancellationToken cancellationToken, Action<TResult, IRunStore>? print = null) where TOptions : ExperimentOptions
    {
        var runId = lease.RunId;
        var progress = new RunProgress { Kind = options.Kind };
        TResult result;
        try
        {
            await using (new ProgressDisplay(progress))
                result = await ExperimentHost.RunAsync(experiment, options, store, runId, model, progress, cancellationToken, lease: lease);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Console.Error.WriteLine($"ouro: run {runId} interrupted; {Continue(options.Kind, runId, "", $"read it with: ouro report {runId}")}");
            return ExitCodes.Interrupted;
        }
        catch (ModelUnavailableException e)
        {
            var next = Continue(options.Kind, runId, "once the model answers again, ", "run it again once the model answers");
            Console.Error.WriteLine($"ouro: run {runId} failed: {Printable.Text(e.Message)}; {next}");
            return ExitCodes.ModelUnavailable;
        }
        catch (StoreFaultedRunException e)
        {
            var state = e.Marked ? "interrupted" : "stopped (it could not be marked interrupted, so it reads as stale)";
            var next = Continue(options.Kind, runId, "once that is fixed, ", "run it again once that is fixed");
            Console.Error.WriteLine($"ouro: run {runId} {state}: {Printable.Text(e.Message)}; {next}");
            // A store server lost mid-run keeps its own code, as when it cannot be reached at the start.
            return e.Fault is StoreUnreachableException ? ExitCodes.StoreUnreachable : ExitCodes.BadInput;
        }
        var report = RunReportBuilder.Build(store, runId) ?? throw new UserError($"no run '{runId}'");
        if (json) Console.WriteLine(ReportJson.ToJson(report).ToJsonString());
        else if (print is not null) print(result, store);
        else
        {
            ReportTables.Write(report);
            // The answer the run was for, again where a long report ends: did self-improvement help?
            if (ReportSections.Headline(report) is { Count: > 0 } headline) Console.WriteLine(headline[0]);
        }
        return ExitCodes.Ok;
    }
}
