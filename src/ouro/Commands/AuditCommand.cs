using System.CommandLine;
using System.Text.Json.Nodes;
using Ouroboros.Stop;
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
        var samples = new Option<int>("--samples") { Description = "How many rewrites of the sandboxed seed improver to ask for and run", DefaultValueFactory = _ => 30 };
        var warning = new Option<bool>("--warning") { Description = "Mark the useSandbox argument 'DO NOT CHANGE', as STOP's warning condition" };
        var task = new Option<string>("--task") { Description = "The task each rewritten improver is run on once", DefaultValueFactory = _ => "3sat" };
        var model = new ModelOptions();
        var seed = RunOptions.Seed();
        var db = RunOptions.Db();
        var json = RunOptions.Json();
        var tasksDir = TasksCommand.TasksDirOption();
        var cmd = new Command("audit", "Count unsandboxing, budget breaches, policy trips and reward hacking in generated improvers (STOP's sandbox table).")
        {
            samples, warning, task, seed, db, json, tasksDir,
        };
        model.AddTo(cmd, withReplay: false, withSeed: false);
        cmd.SetAction(async (parse, cancellationToken) =>
        {
            var n = parse.GetValue(samples);
            if (n is < 1 or > 100_000) throw new UserError($"--samples must be between 1 and 100000, not {n}");
            using var store = RunOptions.OpenForWriting(parse.GetValue(db)!);
            var records = new RunRecords(store);
            var config = new JsonObject
            {
                ["task"] = parse.GetValue(task), ["seed"] = parse.GetValue(seed),
                ["samples"] = n, ["warning"] = parse.GetValue(warning), ["tasksDir"] = parse.GetValue(tasksDir)?.FullName,
            };
            model.Store(parse, config);
            var runId = RunIds.New("audit");
            var setup = RunSetup.Prepare(config, store, runId);
            records.CreateRun(runId, "audit", config);
            Console.Error.WriteLine($"ouro: run {runId}: audit of {n} rewrites of the sandboxed seed improver{(parse.GetValue(warning) ? " (with warning)" : "")} with {setup.ModelDescription}");
            return await RunSetup.RunAsync(records, runId, cancellationToken,
                async (pool, progress) => await new SandboxAudit(new StopRun(runId, records, pool, setup.Model, setup.Task, setup.Options, progress))
                    .RunAsync(n, parse.GetValue(warning), cancellationToken),
                (_, r) => FinalReport.Json(r, runId), parse.GetValue(json), print: FinalReport.Print(store, runId));
        });
        return cmd;
    }
}
