using System.CommandLine;
using System.Text.Json.Nodes;
using Ouroboros.Reporting;
using Ouroboros.Stop;
using Ouroboros.Store;

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
        return new Command("store", "Look after the run store.") { check, Copy() };
    }

    /// <summary>The experiment families whose tables a copy carries: every family <c>ouro</c> runs.</summary>
    internal static readonly StoreModule[] Families = [IterationTable.Module, Ouroboros.Tampering.EpisodeTable.Module];

    /// <summary>
    /// <c>ouro store copy --from A --to B [--run ID ...] [--json]</c>: copies runs, with everything they
    /// recorded, between any two stores (<see cref="StoreCopy"/>). The source is only read; the target is
    /// created when missing. Copying again changes nothing.
    /// </summary>
    private static Command Copy()
    {
        var from = new Option<string>("--from") { Description = "The store to copy from (a SQLite path or a postgresql:// URI); only read", Required = true };
        var to = new Option<string>("--to") { Description = "The store to copy into (created when missing)", Required = true };
        var runs = new Option<string[]>("--run") { Description = "A run to copy (id or unique prefix); repeat for more. Default: every run", AllowMultipleArgumentsPerToken = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON object {from, to, runs: [{run, rowsWritten, programs}]} as the last line" };
        var copy = new Command("copy", "Copy runs between stores (SQLite and PostgreSQL) without changing a hash or a score.") { from, to, runs, json };
        copy.SetAction(parse =>
        {
            using var source = StoreAccess.OpenForReading(parse.GetValue(from)!);
            var ids = parse.GetValue(runs) is { Length: > 0 } refs ? refs.Select(r => RunReference.Resolve(source, r, source.Location)).ToList() : null;
            using var target = RunOptions.OpenForWriting(parse.GetValue(to)!);
            if (target.Location == source.Location) throw new UserError($"--from and --to are the same store ({source.Location}); name another --to.");
            var copied = StoreCopy.Copy(source, target, ids, Families);
            if (parse.GetValue(json))
                Console.WriteLine(new JsonObject
                {
                    ["from"] = source.Location, ["to"] = target.Location,
                    ["runs"] = new JsonArray(copied.Select(c => (JsonNode?)new JsonObject { ["run"] = c.RunId, ["rowsWritten"] = c.RowsWritten, ["programs"] = c.Programs }).ToArray()),
                }.ToJsonString());
            else
                foreach (var c in copied)
                    Console.WriteLine(c.RowsWritten == 0 ? $"{c.RunId}: already in {target.Location}" : $"{c.RunId}: {c.RowsWritten} rows ({c.Programs} programs) copied to {target.Location}");
            return ExitCodes.Ok;
        });
        return copy;
    }
}
