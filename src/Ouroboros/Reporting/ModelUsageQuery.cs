using System.Text.Json.Nodes;
using Ouroboros.Store;

namespace Ouroboros.Reporting;

/// <summary>
/// Reads a run's language-model usage from the ledger: the calls recorded under its run id, less
/// those a resumed or replayed run answered from the recording (the provider was not called), and
/// the completions that arrived (a faulted call made a call, but brought none).
/// </summary>
public static class ModelUsageQuery
{
    public static ModelUsage ForRun(IRunStore store, RunRow run)
    {
        var all = store.Ledger(run.Id).All().Where(r => r.Outcome != Models.LedgerChatClient.Replayed).ToList();
        var rows = all.Where(r => Models.LedgerChatClient.IsCall(r.Outcome)).ToList();
        var byLevel = rows.GroupBy(r => r.Level).OrderBy(g => g.Key)
            .Select(g => new LevelUsage(g.Key, Sum(g))).ToList();
        return new ModelUsage(Sum(rows), byLevel, (long?)run.Result?["modelUsage"]?["criticalPath"])
        {
            Phases = Phases(run),
            Faults = Faults(all),
            TokensEstimated = rows.Any(r => r.Detail?.Contains(Models.LedgerChatClient.TokensEstimated, StringComparison.Ordinal) == true),
            Priced = rows.Count == 0 || rows.Any(r => r.CostUsd is not null),
        };
    }

    /// <summary>Faults by kind, from the calls that ended with one and the <c>retried:</c> rows of those the retry hid.</summary>
    private static IReadOnlyList<ModelFaultCount> Faults(IEnumerable<ModelCallRecord> rows)
    {
        var failed = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var retried = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var r in rows)
        {
            if (r.Outcome == Models.ModelFaults.Ok) continue;
            if (Models.LedgerChatClient.IsCall(r.Outcome)) failed[r.Outcome] = failed.GetValueOrDefault(r.Outcome) + 1;
            else { var kind = r.Outcome[Models.LedgerChatClient.RetriedPrefix.Length..]; retried[kind] = retried.GetValueOrDefault(kind) + 1; }
        }
        return failed.Keys.Union(retried.Keys).Order(StringComparer.Ordinal)
            .Select(k => new ModelFaultCount(k, failed.GetValueOrDefault(k), retried.GetValueOrDefault(k))).ToList();
    }

    /// <summary>The self-improvement loop's own count, and the rest of the run's (run − loop): the baseline spends what the loop spent.</summary>
    private static IReadOnlyList<PhaseUsage> Phases(RunRow run)
    {
        if (run.Kind != "stop" || run.Result?["loop"] is not JsonObject loop || run.Result["modelUsage"] is not JsonObject total) return [];
        long Count(JsonObject o, string name) => (long?)o[name] ?? 0;
        long? Path(JsonObject o) => (long?)o["criticalPath"];
        var after = run.Result["transfer"] is JsonObject ? AfterLoopWithTransfer : AfterLoop;
        return
        [
            new PhaseUsage(Loop, Count(loop, "calls"), Count(loop, "completions"), Path(loop)),
            new PhaseUsage(after, Count(total, "calls") - Count(loop, "calls"), Count(total, "completions") - Count(loop, "completions"),
                Path(total) - Path(loop)),
        ];
    }

    /// <summary>Phase names, as the model usage table and the JSON write them.</summary>
    public const string Loop = "self-improvement loop", AfterLoop = "baseline", AfterLoopWithTransfer = "baseline and transfer";

    private static readonly string NoCodeBlock = Models.ModelFaults.Name(Models.ModelFaultKind.NoCodeBlock);

    private static ModelCallTotals Sum(IEnumerable<ModelCallRecord> rows)
    {
        long calls = 0, completions = 0, tokensIn = 0, tokensOut = 0;
        double cost = 0;
        foreach (var r in rows)
        {
            calls++;
            // The ledger keeps the completions asked for; only an answered call's arrived.
            if (r.Outcome == Models.ModelFaults.Ok || r.Outcome == NoCodeBlock) completions += r.Completions;
            tokensIn += r.TokensIn ?? 0;
            tokensOut += r.TokensOut ?? 0;
            cost += r.CostUsd ?? 0;
        }
        return new ModelCallTotals(calls, completions, tokensIn, tokensOut, cost);
    }

    /// <summary>What the usage counts, for the report's footnote.</summary>
    public static string Window(RunRow run) => $"model calls the ledger recorded for run {run.Id}, not counting those answered from its recording";
}
