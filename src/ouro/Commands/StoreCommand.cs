using System.CommandLine;
using System.Text.Json.Nodes;
using Ouroboros.Reporting;

namespace Ouroboros.Cli.Commands;

/// <summary>
/// <c>ouro store check [--db PATH] [--json]</c>: runs SQLite's full integrity check over the store (on PostgreSQL, a read of every table) without
/// writing to it. A sound store exits 0; a damaged one prints what is wrong and exits 2 (runs, resumes and
/// replays refuse it too, by the quicker check they make when they open it).
/// </summary>
public static class StoreCommand
{
    /// <summary>At most this many findings are printed: a damaged page can yield thousands.</summary>
    private const int Shown = 20;

    public static Command Create()
    {
        var db = StoreAccess.DbOption();
        var json = new Option<bool>("--json") { Description = "Print one JSON object {store, ok, problems} as the last line" };
        var check = new Command("check", "Check the store's file for damage (SQLite's integrity check); nothing is written.") { db, json };
        check.SetAction(parse =>
        {
            using var store = StoreAccess.OpenForReading(parse.GetValue(db)!);
            var path = store.Location;
            var problems = store.Problems();
            if (parse.GetValue(json))
                Console.WriteLine(new JsonObject
                {
                    ["store"] = path, ["ok"] = problems.Count == 0,
                    ["problems"] = new JsonArray(problems.Take(Shown).Select(p => (JsonNode?)p).ToArray()),
                }.ToJsonString());
            else if (problems.Count == 0) Console.WriteLine($"{path}: ok");
            else foreach (var p in problems.Take(Shown)) Console.WriteLine(Printable.Text(p));
            if (problems.Count == 0) return ExitCodes.Ok;
            Console.Error.WriteLine($"ouro: the run store {path} is damaged ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}); runs, resumes and replays refuse it — keep a copy, {(store is Ouroboros.Store.RunStore ? $"recover what is readable with 'sqlite3 {path} .recover | sqlite3 recovered.db'" : "ask the server's administrator to restore it")}, or pass another --db");
            return ExitCodes.BadInput;
        });
        return new Command("store", "Look after the run store.") { check };
    }
}
