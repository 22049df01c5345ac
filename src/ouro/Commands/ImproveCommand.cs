using System.CommandLine;
using System.Text.Json.Nodes;
using Ouroboros.Compilation;
using Ouroboros.Stop;
using Ouroboros.Store;
using Ouroboros.Tasks;

namespace Ouroboros.Cli.Commands;

/// <summary><c>ouro improve</c>: one improver on one task, u(s) → u(I(u, s)), on both splits.</summary>
public static class ImproveCommand
{
    public static Command Create()
    {
        var task = new Option<string>("--task") { Description = "The task whose seed solution is improved", DefaultValueFactory = _ => "3sat" };
        var improver = new Option<string>("--improver") { Description = "seed, a C# file, a STOP run id or a program hash", DefaultValueFactory = _ => "seed" };
        var model = new ModelOptions();
        var seed = RunOptions.Seed();
        var db = RunOptions.Db();
        var json = RunOptions.Json();
        var tasksDir = TasksCommand.TasksDirOption();
        var cmd = new Command("improve", "Run one improver once on a task's seed solution: u(s) before, u(I(u, s)) after.") { task, improver, seed, db, json, tasksDir };
        model.AddTo(cmd, withReplay: false, withSeed: false);
        cmd.SetAction(async (parse, cancellationToken) =>
        {
            using var store = RunOptions.OpenForWriting(parse.GetValue(db)!);
            var records = new RunRecords(store);
            var (source, label) = ImproverReference.Resolve(parse.GetValue(improver)!, records);
            var config = new JsonObject
            {
                ["task"] = parse.GetValue(task), ["seed"] = parse.GetValue(seed),
                ["improver"] = ProgramHash.Of(source), ["runs"] = 1, ["iterations"] = 1, ["tasksDir"] = parse.GetValue(tasksDir)?.FullName,
            };
            model.Store(parse, config);
            var runId = RunIds.New("improve");
            var setup = RunSetup.Prepare(config, store, runId);
            records.CreateRun(runId, "improve", config);
            Console.Error.WriteLine($"ouro: run {runId}: {label} on {setup.Task.Id} with {setup.ModelDescription}");
            return await RunSetup.RunAsync(records, runId, cancellationToken, async (pool, progress) =>
            {
                var run = new StopRun(runId, records, pool, setup.Model, setup.Task, setup.Options, progress);
                var seedHash = run.Remember(setup.Task.SeedSolution, "solution", null);
                run.Remember(source, "improver", null);
                var before = await Scores(run, setup.Task.SeedSolution, null, cancellationToken);
                var utility = new UtilityCapability(setup.Task, run.Sandbox, baseline: (double)before["val"]!);
                progress.SetPhase("the improver runs");
                var result = await new ImproverRunner(run).RunAsync(source, setup.Task.SeedSolution, utility, cancellationToken);
                run.Record(utility.Events);
                var after = result.Improved is { } solution ? await Scores(run, solution, seedHash, cancellationToken) : new JsonObject { ["val"] = 0.0, ["test"] = 0.0 };
                return new JsonObject
                {
                    ["run"] = runId, ["task"] = setup.Task.Id, ["improver"] = ProgramHash.Of(source),
                    ["before"] = before, ["after"] = after,
                    ["status"] = result.Status.ToString(), ["error"] = result.Error,
                    ["solution"] = result.Improved is { } s2 ? ProgramHash.Of(s2) : null,
                    ["utilityCalls"] = utility.Uses,
                };
            }, (r, rec) => ImproveReport(r, rec, runId), parse.GetValue(json), print: Print);
        });
        return cmd;
    }

    private static async Task<JsonObject> Scores(StopRun run, string solution, string? parent, CancellationToken ct) => new()
    {
        ["val"] = (await run.EvaluateAsync(solution, Split.ValidationName, parent, ct)).Utility,
        ["test"] = (await run.EvaluateAsync(solution, Split.TestName, parent, ct)).Utility,
    };

    private static void Print(JsonObject r) =>
        Console.WriteLine($"run {r["run"]}: {r["task"]}: u(s) val {(double)r["before"]!["val"]!:0.000} test {(double)r["before"]!["test"]!:0.000}"
            + $"  →  u(I(u, s)) val {(double)r["after"]!["val"]!:0.000} test {(double)r["after"]!["test"]!:0.000}  (improver run {r["status"]}, {r["utilityCalls"]} utility calls)"
            + $"\nsafety events: {(r["safety"]!.AsObject().Count == 0 ? "none" : string.Join(", ", r["safety"]!.AsObject().Select(kv => $"{kv.Key} {kv.Value}")))}");

    private static JsonObject ImproveReport(JsonObject result, RunRecords records, string runId)
    {
        var report = (JsonObject)result.DeepClone();
        var safety = new JsonObject();
        foreach (var (kind, count) in records.EventCounts(runId)) safety[kind] = count;
        report["safety"] = safety;
        return report;
    }
}
