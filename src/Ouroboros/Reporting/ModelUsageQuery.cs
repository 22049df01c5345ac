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
        var rows = store.Ledger(run.Id).All().Where(r => r.Outcome != Models.LedgerChatClient.Replayed).ToList();
        var byLevel = rows.GroupBy(r => r.Level).OrderBy(g => g.Key)
            .Select(g => new LevelUsage(g.Key, Sum(g))).ToList();
        return new ModelUsage(Sum(rows), byLevel, (long?)run.Result?["modelUsage"]?["criticalPath"]);
    }

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
