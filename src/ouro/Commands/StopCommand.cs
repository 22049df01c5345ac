using System.CommandLine;
using Ouroboros.Runs;
using Ouroboros.Stop;
using Ouroboros.Store;
using Ouroboros.Tasks;

namespace Ouroboros.Cli.Commands;

/// <summary>
/// <c>ouro stop</c>: the self-improvement run, end to end — the seed improver, T iterations of the
/// improver improving itself under the meta-utility over D, the best-of-N baseline, the transfer
/// table on meta-test tasks when named, and the report. <c>--resume RUN</c> continues a run that
/// was interrupted, killed, or failed for want of a model, with its stored configuration (an option
/// given that contradicts it is refused), once no other live process holds the run's lease.
/// </summary>
public static class StopCommand
{
    /// <summary>Every option of a STOP run as a flag: <c>ouro stop</c>'s, and <c>ouro sweep</c>'s, which sweeps them.</summary>
    internal static OptionBinder<StopOptions> Binder() => new OptionBinder<StopOptions>()
            .AddList("tasks", "D: the downstream tasks whose mean utility the meta-utility measures", "--task")
            .AddList("transferTasks", "Meta-test tasks: the final improver's transfer table is made on these, never used for selection")
            .Add<int>("iterations", "Self-improvement iterations T")
            .Add<int>("metaUtilityRuns", "Improver runs per task in one meta-utility evaluation (STOP: 5)", "--runs")
            .Add<int>("maxResponsesPerCall", "Most responses per model call, STOP's n (6)")
            .Add<int>("modelBudget", "Model calls per improver run, STOP's m (4)")
            .Add<int>("metaUtilityBudget", "Meta-utility calls per improvement of the improver (STOP: 25)")
            .Add<int>("improverTimeoutSeconds", "Wall-clock limit of one improver run, not counting time spent on its model and utility calls")
            .Add<int>("improverTotalTimeoutSeconds", "Wall-clock limit of one improver run counting everything, its model and utility calls included; past it the run is a failed improver run (timeout)")
            .AddCommon();

    public static Command Create()
    {
        var binder = Binder();
        var resume = new Option<string?>("--resume") { Description = "Continue an interrupted run, or one that failed because its model stopped answering (its id or a unique prefix, from 'ouro runs'); its stored configuration is used" };
        var db = RunOptions.Db();
        var json = RunOptions.Json();
        var cmd = new Command("stop", "Run STOP: an improver improves itself, scored by the meta-utility, with a baseline and a safety report.") { resume, db, json };
        binder.AddTo(cmd);
        cmd.SetAction(async (parse, cancellationToken) =>
        {
            // A new run's options are checked before the store is opened, so bad input creates no store;
            // a resume never creates one: a mistyped --db is an error, not a new empty file.
            var fresh = parse.GetValue(resume) is null ? binder.Bind(parse) : null;
            if (fresh is not null) Checked(fresh);
            using var store = fresh is null ? RunOptions.OpenExisting(parse.GetValue(db)!) : RunOptions.OpenForWriting(parse.GetValue(db)!);
            StopOptions options;
            string runId;
            if (parse.GetValue(resume) is { } reference)
            {
                (runId, options) = ExperimentRun.Resumed(store, reference, binder, parse, "a STOP run");
            }
            else
            {
                options = fresh!;
                runId = RunIds.New("stop");
            }
            var catalog = Checked(options);
            var model = ExperimentRun.Model(options, store, runId);   // every check before the store is touched
            using var lease = parse.GetValue(resume) is null ? ExperimentRun.Create(store, runId, options) : ExperimentRun.Resume(store, runId);
            Console.Error.WriteLine($"ouro: run {runId}: STOP on {string.Join(", ", options.Tasks)} with {ExperimentRun.Describe(options)}, T = {options.Iterations}, store {store.Location}");
            return await ExperimentRun.RunAsync(new StopExperiment(catalog), options, store, lease, model, parse.GetValue(json), cancellationToken);
        });
        return cmd;
    }

    /// <summary>The task catalog, once every task <paramref name="options"/> names is in it.</summary>
    internal static TaskCatalog Checked(StopOptions options)
    {
        var catalog = ExperimentRun.Catalog(options);
        ImproverOptions.Resolve(catalog, "tasks", options.Tasks);
        if (options.TransferTasks.Count > 0) ImproverOptions.Resolve(catalog, "transferTasks", options.TransferTasks);
        return catalog;
    }
}
