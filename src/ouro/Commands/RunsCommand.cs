using System.CommandLine;
using System.Text.Json.Nodes;
using Ouroboros.Reporting;
using Ouroboros.Store;
using Spectre.Console;

namespace Ouroboros.Cli.Commands;

/// <summary><c>ouro runs [--db PATH] [--json]</c>: the runs in a store, newest first, with their kind, status and task.</summary>
public static class RunsCommand
{
    public static Command Create()
    {
        var db = StoreAccess.DbOption();
        var json = new Option<bool>("--json") { Description = "Print one JSON array of {id, kind, status, created, finished, task, model, and error for a failed run} as the last line" };
        var cmd = new Command("runs", "List the runs in the store, newest first.") { db, json };
        cmd.SetAction((parse, _) =>
        {
            var path = parse.GetValue(db)!;
            using var store = StoreAccess.OpenForReading(path);
            var runs = store.Journal.Runs();
            if (parse.GetValue(json))
            {
                Console.WriteLine(new JsonArray(runs.Select(r => (JsonNode?)Summary(r)).ToArray()).ToJsonString());
                return Task.FromResult(ExitCodes.Ok);
            }
            if (runs.Count == 0)
            {
                Console.WriteLine($"no runs in {path} yet.");
                return Task.FromResult(ExitCodes.Ok);
            }
            var table = new Table().AddColumns("id", "kind", "status", "task", "model", "created", "finished");
            foreach (var r in runs)
                table.AddRow(new[] { r.Id, r.Kind, r.Status, ConfigText.Tasks(r.Config), Text(r.Config["model"]),
                    r.CreatedAt.ToString("u"), r.FinishedAt?.ToString("u") ?? "" }.Select(c => new Text(c)));
            Terminal.Stdout().Write(table);
            foreach (var r in runs)
                if (RunFailures.Reason(r) is { } reason) Console.WriteLine($"{r.Id} failed: {Printable.Text(reason)}");
            Console.WriteLine($"ouro report RUN --db {path} shows one of them.");
            return Task.FromResult(ExitCodes.Ok);
        });
        return cmd;
    }

    /// <summary>The run's summary, with why it failed when it did.</summary>
    private static JsonObject Summary(RunRow run)
    {
        var summary = ReportJson.Summary(run);
        if (RunFailures.Reason(run) is { } reason) summary["error"] = reason;
        return summary;
    }

    private static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? "";
}
