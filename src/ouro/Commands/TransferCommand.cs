using System.CommandLine;
using System.Text.Json.Nodes;
using Ouroboros.Compilation;
using Ouroboros.Stop;
using Ouroboros.Store;
using Ouroboros.Tasks;

namespace Ouroboros.Cli.Commands;

/// <summary>
/// <c>ouro transfer</c>: a stored improver and the seed improver side by side, at the same budgets,
/// on tasks it was not improved on — STOP's Table 1: u(s), û(I₀), û(I_T), with n and 95% intervals.
/// </summary>
public static class TransferCommand
{
    public static Command Create()
    {
        var improver = new Option<string>("--improver") { Description = "The improver: a STOP run id, a program hash, a C# file or 'seed'", Required = true };
        var tasks = new Option<string>("--tasks") { Description = "Comma-separated task ids", DefaultValueFactory = _ => "string-grid-distance,quadratic-assignment,3sat,maxcut,parity" };
        var runs = new Option<int>("--runs") { Description = "Improver runs per meta-utility (STOP: 5)", DefaultValueFactory = _ => 5 };
        var model = new ModelOptions();
        var seed = RunOptions.Seed();
        var db = RunOptions.Db();
        var json = RunOptions.Json();
        var tasksDir = TasksCommand.TasksDirOption();
        var cmd = new Command("transfer", "Compare an improver with the seed improver on other tasks (STOP's Table 1).") { improver, tasks, runs, seed, db, json, tasksDir };
        model.AddTo(cmd, withReplay: false, withSeed: false);
        cmd.SetAction(async (parse, cancellationToken) =>
        {
            using var store = RunOptions.OpenForWriting(parse.GetValue(db)!);
            var records = new RunRecords(store);
            var (source, label) = ImproverReference.Resolve(parse.GetValue(improver)!, records);
            var ids = parse.GetValue(tasks)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (ids.Length == 0) throw new UserError("--tasks needs at least one task id (see 'ouro tasks')");
            var config = new JsonObject
            {
                ["tasks"] = new JsonArray(ids.Select(i => (JsonNode?)i).ToArray()), ["task"] = ids[0],
                ["runs"] = parse.GetValue(runs), ["seed"] = parse.GetValue(seed), ["improver"] = ProgramHash.Of(source),
                ["tasksDir"] = parse.GetValue(tasksDir)?.FullName,
            };
            model.Store(parse, config);
            var runId = RunIds.New("transfer");
            var setups = ids.Select(id => RunSetup.Prepare(WithTask(config, id), store, runId)).ToList();
            records.CreateRun(runId, "transfer", config);
            Console.Error.WriteLine($"ouro: run {runId}: {label} vs the seed improver on {string.Join(", ", ids)} with {setups[0].ModelDescription}");
            return await RunSetup.RunAsync(records, runId, cancellationToken, async (pool, progress) =>
            {
                var rows = new JsonArray();
                foreach (var setup in setups)
                {
                    // One model pipeline for the whole run: its sample numbering must be shared.
                    var run = new StopRun(runId, records, pool, setups[0].Model, setup.Task, setup.Options, progress);
                    progress.SetPhase($"{setup.Task.Id}: u(s)");
                    var us = new JsonObject
                    {
                        ["val"] = (await run.EvaluateAsync(setup.Task.SeedSolution, Split.ValidationName, null, cancellationToken)).Utility,
                        ["test"] = (await run.EvaluateAsync(setup.Task.SeedSolution, Split.TestName, null, cancellationToken)).Utility,
                    };
                    progress.SetPhase($"{setup.Task.Id}: û(I₀)");
                    var seedScore = await new MetaUtility(run).EvaluateAsync(Improvers.Seed, null, withTest: true, cancellationToken);
                    progress.SetPhase($"{setup.Task.Id}: û(I_T)");
                    var improvedScore = await new MetaUtility(run).EvaluateAsync(source, null, withTest: true, cancellationToken);
                    rows.Add(new JsonObject { ["task"] = setup.Task.Id, ["us"] = us, ["seed"] = Runs(seedScore), ["improved"] = Runs(improvedScore) });
                }
                return new JsonObject { ["improver"] = ProgramHash.Of(source), ["rows"] = rows };
            }, (_, r) => FinalReport.Json(r, runId), parse.GetValue(json), print: FinalReport.Print(store, runId));
        });
        return cmd;
    }

    private static JsonObject WithTask(JsonObject config, string task)
    {
        var copy = (JsonObject)config.DeepClone();
        copy["task"] = task;
        return copy;
    }

    private static JsonObject Runs(MetaUtilityScore s) => new()
    {
        ["valRuns"] = new JsonArray(s.ValRuns.Select(v => (JsonNode?)v).ToArray()),
        ["testRuns"] = new JsonArray(s.TestRuns.Select(v => (JsonNode?)v).ToArray()),
    };
}
