using System.Globalization;
using Ouroboros.Store;

namespace Ouroboros.Reporting;

/// <summary>
/// Reads a run's language-model usage from the ledger. The ledger has no run column (its rows are
/// written by middleware that knows the caller, not the run), so a run's calls are those recorded
/// between its creation and its finish (or now, if it is still open). Runs that overlap in one store
/// would share calls; the report says the window it used.
/// </summary>
public static class ModelUsageQuery
{
    public static ModelUsage ForRun(RunStore store, RunRow run)
    {
        var from = run.CreatedAt;
        var to = run.FinishedAt ?? DateTimeOffset.MaxValue;
        var rows = new ModelCallLog(store).All().Where(r => r.At >= from && r.At <= to).ToList();
        var byLevel = rows.GroupBy(r => r.Level).OrderBy(g => g.Key)
            .Select(g => new LevelUsage(g.Key, Sum(g))).ToList();
        return new ModelUsage(Sum(rows), byLevel);
    }

    private static ModelCallTotals Sum(IEnumerable<ModelCallRecord> rows)
    {
        long calls = 0, completions = 0, tokensIn = 0, tokensOut = 0;
        double cost = 0;
        foreach (var r in rows)
        {
            calls++;
            completions += r.Completions;
            tokensIn += r.TokensIn ?? 0;
            tokensOut += r.TokensOut ?? 0;
            cost += r.CostUsd ?? 0;
        }
        return new ModelCallTotals(calls, completions, tokensIn, tokensOut, cost);
    }

    /// <summary>The window in words, for the report's footnote.</summary>
    public static string Window(RunRow run) => string.Create(CultureInfo.InvariantCulture,
        $"model calls recorded in the store's ledger from {run.CreatedAt:u} to {(run.FinishedAt is { } f ? f.ToString("u", CultureInfo.InvariantCulture) : "now (the run is still open)")}");
}
