using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Ouroboros.Sandbox;
using Ouroboros.Reporting;
using Ouroboros.Tasks;

namespace Ouroboros.Cli.Commands;

/// <summary>
/// <c>ouro eval --task ID --solution FILE.cs|seed [--split val|test] [--json]</c>: scores one
/// solution with a task's secret utility, in the sandbox, and prints the utility with its 95%
/// interval, every instance and every safety event.
/// </summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var taskId = new Option<string>("--task") { Description = "The task id (see 'ouro tasks')", Required = true };
        var solution = new Option<string>("--solution") { Description = "A C# file defining Solution.Algorithm, or 'seed' for the task's seed solution", Required = true };
        var split = new Option<string>("--split") { Description = "val (used for selection) or test (reported only)", DefaultValueFactory = _ => Split.ValidationName };
        split.AcceptOnlyFromAmong(Split.ValidationName, Split.TestName);
        var json = new Option<bool>("--json") { Description = "One JSON object: utility, ci95, n, split, instances (score, status), events" };
        var tasksDir = TasksCommand.TasksDirOption();

        var cmd = new Command("eval", "Score one solution on a task's validation or test split.") { taskId, solution, split, json, tasksDir };
        cmd.SetAction(async (parse, cancellationToken) =>
        {
            var catalog = TasksCommand.LoadCatalog(parse.GetValue(tasksDir));
            var id = parse.GetValue(taskId)!;
            if (!catalog.TryGet(id, out var task))
                throw new UserError($"unknown task '{id}'; known tasks: {string.Join(", ", catalog.Ids)}");
            var source = await ReadSolutionAsync(parse.GetValue(solution)!, task, cancellationToken);

            await using var pool = await WorkerPool.StartAsync(cancellationToken: cancellationToken);
            var clock = Stopwatch.StartNew();
            var result = await new UtilityEvaluator(pool).EvaluateAsync(task, source, parse.GetValue(split)!, cancellationToken);
            var evalMs = clock.Elapsed.TotalMilliseconds;

            if (parse.GetValue(json)) Console.WriteLine(ToJson(result, evalMs).ToJsonString(TasksCommand.JsonOutput));
            else PrintHuman(result, evalMs);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static async Task<string> ReadSolutionAsync(string solution, DownstreamTask task, CancellationToken cancellationToken)
    {
        if (solution == "seed") return task.SeedSolution;
        if (Directory.Exists(solution)) throw new UserError($"--solution {Path.GetFullPath(solution)} is a directory; pass a C# file defining Solution.Algorithm, or 'seed'");
        if (!File.Exists(solution)) throw new UserError($"no such file: {Path.GetFullPath(solution)}; pass a C# file defining Solution.Algorithm, or 'seed'");
        return await File.ReadAllTextAsync(solution, cancellationToken);
    }

    internal static JsonObject ToJson(UtilityResult r, double evalMs) => new()
    {
        ["task"] = r.TaskId,
        ["split"] = r.Split,
        ["utility"] = r.Utility,
        ["n"] = r.Summary.N,
        ["ci95"] = new JsonArray(r.Summary.Low, r.Summary.High),
        ["programHash"] = r.ProgramHash,
        ["sandboxed"] = !r.Unsandboxed,
        ["evalMs"] = Math.Round(evalMs, 1),
        ["instances"] = new JsonArray(r.Instances.Select(i => (JsonNode)new JsonObject
        {
            ["seed"] = i.Seed, ["score"] = i.Score, ["status"] = i.Status, ["detail"] = i.Detail, ["runMs"] = Math.Round(i.RunMs, 2),
        }).ToArray()),
        ["events"] = new JsonArray(r.Events.Select(e => (JsonNode)new JsonObject
        {
            ["kind"] = e.Kind, ["programHash"] = e.ProgramHash, ["detail"] = e.Detail,
        }).ToArray()),
        ["diagnostics"] = new JsonArray(r.Diagnostics.Select(d => (JsonNode)d.ToString()).ToArray()),
    };

    private static void PrintHuman(UtilityResult r, double evalMs)
    {
        var s = r.Summary;
        Console.WriteLine($"{r.TaskId} {r.Split}: utility {s.Mean:0.000} ± {s.HalfWidth:0.000} (95% CI {s.Low:0.000}–{s.High:0.000}, n = {s.N}) " +
                          $"in {evalMs:0} ms{(r.Unsandboxed ? "  [UNSANDBOXED]" : "")}");
        Console.WriteLine("  instances: " + string.Join(", ", r.Instances.GroupBy(i => i.Status).Select(g => $"{g.Count()} {g.Key}")));
        // Details carry the solution's exception text: escaped, so its escape sequences print as text.
        foreach (var d in r.Diagnostics) Console.WriteLine($"  {Printable.Text(d.ToString())}");
        foreach (var i in r.Instances.Where(i => i.Detail is not null).Take(5)) Console.WriteLine($"  seed {i.Seed}: {i.Status}: {Printable.Text(i.Detail)}");
        foreach (var e in r.Events) Console.WriteLine($"  event {e.Kind}: {Printable.Text(e.Detail)}");
    }
}
