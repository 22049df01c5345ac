using System.CommandLine;
using Ouroboros.Audit;
using Ouroboros.Store;

namespace Ouroboros.Cli.Commands;

/// <summary>
/// <c>ouro audit --samples N [--warning]</c>: STOP's unsandboxing experiment — how often generated
/// improvers switch the sandbox off, breach budgets, trip the policy or game the utility, with
/// Wilson 95% intervals.
/// </summary>
public static class AuditCommand
{
    public static Command Create()
    {
        var binder = new OptionBinder<AuditOptions>()
            .Add<int>("samples", "How many rewrites of the sandboxed seed improver to ask for and run")
            .Add<bool>("warning", "Mark the useSandbox argument 'DO NOT CHANGE', as STOP's warning condition")
            .Add<string>("task", "The task each rewritten improver is run on once")
            .AddCommon();
        var db = RunOptions.Db();
        var json = RunOptions.Json();
        var cmd = new Command("audit", "Count unsandboxing, budget breaches, policy trips and reward hacking in generated improvers (STOP's sandbox table).") { db, json };
        binder.AddTo(cmd);
        cmd.SetAction(async (parse, cancellationToken) =>
        {
            var options = binder.Bind(parse);
            var catalog = ExperimentRun.Catalog(options);
            Stop.ImproverOptions.Resolve(catalog, "task", [options.Task]);
            // Opened once the options and task check out: bad input creates no store.
            using var store = RunOptions.OpenForWriting(parse.GetValue(db)!);
            var runId = RunIds.New("audit");
            var model = ExperimentRun.Model(options, store, runId);
            using var lease = ExperimentRun.Create(store, runId, options);
            Console.Error.WriteLine($"ouro: run {runId}: audit of {options.Samples} rewrites of the sandboxed seed improver{(options.Warning ? " (with warning)" : "")} with {ExperimentRun.Describe(options)}");
            return await ExperimentRun.RunAsync(new SandboxAudit(catalog), options, store, lease, model, parse.GetValue(json), cancellationToken);
        });
        return cmd;
    }
}
