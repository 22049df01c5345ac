using System.CommandLine;
using System.Text.Json.Nodes;
using Ouroboros.Reporting;
using Ouroboros.Runs;
using Ouroboros.Store;
using Spectre.Console;

namespace Ouroboros.Cli.Commands;

/// <summary>
/// <c>ouro runs [--kind K] [--status S] [--db PATH] [--json]</c>: the runs in a store, newest first, with
/// their kind, status and task. A <c>running</c> run that no live process holds is shown as stale.
/// </summary>
public static class RunsCommand
{
    /// <summary>The kinds of run the commands make: <c>replay</c> is <c>ouro replay</c>'s, <c>sweep</c> <c>ouro sweep</c>'s (its points are <c>stop</c> runs).</summary>
    public static readonly IReadOnlyList<string> Kinds = ["stop", "improve", "transfer", "audit", "tamper", "replay", "sweep"];

    public static Command Create()
    {
        var db = StoreAccess.DbOption();
        var json = new Option<bool>("--json") { Description = "Print one JSON array of {id, kind, status, heartbeat, holder, created, finished, task, model, and error for a failed run} as the last line" };
        var kind = new Option<string?>("--kind") { Description = $"Only runs of this kind: {string.Join(", ", Kinds)}" };
        var status = new Option<string?>("--status") { Description = $"Only runs in this status: {string.Join(", ", RunStates.All)} (stale: running, but its process is gone)" };
        var cmd = new Command("runs", "List the runs in the store, newest first.") { db, json, kind, status };
        cmd.SetAction((parse, _) =>
        {
            var wantKind = OneOf("--kind", parse.GetValue(kind), Kinds);
            var wantStatus = OneOf("--status", parse.GetValue(status), RunStates.All);
            var path = parse.GetValue(db)!;
            using var store = StoreAccess.OpenForReading(path);
            var leases = store.Leases.All().ToDictionary(l => l.RunId);
            var now = DateTimeOffset.UtcNow;
            var runs = store.Journal.Runs()
                .Select(r => (Run: r, State: RunLease.StateOf(r, leases.GetValueOrDefault(r.Id), now)))
                .Where(r => (wantKind is null || r.Run.Kind == wantKind) && (wantStatus is null || r.State.Status == wantStatus))
                .ToList();
            if (parse.GetValue(json))
            {
                Console.WriteLine(new JsonArray(runs.Select(r => (JsonNode?)Summary(r.Run, r.State)).ToArray()).ToJsonString());
                return Task.FromResult(ExitCodes.Ok);
            }
            if (runs.Count == 0)
            {
                Console.WriteLine(wantKind is null && wantStatus is null ? $"no runs in {path} yet." : $"no runs in {path} match.");
                return Task.FromResult(ExitCodes.Ok);
            }
            var table = new Table().AddColumns("id", "kind", "status", "task", "model", "created", "finished");
            foreach (var (r, state) in runs)
                table.AddRow(new[] { r.Id, r.Kind, state.Text, ConfigText.Tasks(r.Config), Text(r.Config["model"]),
                    r.CreatedAt.ToString("u"), r.FinishedAt?.ToString("u") ?? "" }.Select(c => new Text(c)));
            Terminal.Stdout().Write(table);
            foreach (var r in runs)
                if (RunFailures.Reason(r.Run) is { } reason) Console.WriteLine($"{r.Run.Id} failed: {Printable.Text(reason)}");
            Console.WriteLine($"ouro report RUN --db {path} shows one of them.");
            foreach (var kind in runs.Where(r => r.State.Status is RunStates.Stale or RunStates.Interrupted && ExperimentRun.ResumableKinds.Contains(r.Run.Kind)).Select(r => r.Run.Kind).Distinct().Order())
                Console.WriteLine($"An interrupted or stale {(kind == "stop" ? "STOP" : kind)} run continues with: ouro {kind} --resume RUN");
            return Task.FromResult(ExitCodes.Ok);
        });
        return cmd;
    }

    /// <summary>The filter value, checked before the store is opened: one of <paramref name="allowed"/>, or a one-line error listing them.</summary>
    private static string? OneOf(string flag, string? value, IReadOnlyList<string> allowed) =>
        value is null || allowed.Contains(value) ? value
            : throw new UserError($"{flag} '{value}' is not one of {string.Join(", ", allowed)}");

    /// <summary>The run's summary, with why it failed when it did.</summary>
    private static JsonObject Summary(RunRow run, RunState state)
    {
        var summary = ReportJson.Summary(run, state);
        if (RunFailures.Reason(run) is { } reason) summary["error"] = reason;
        return summary;
    }

    private static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? "";
}
