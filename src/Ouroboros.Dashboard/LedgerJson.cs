using System.Text.Json.Nodes;
using Ouroboros.Store;

namespace Ouroboros.Dashboard;

/// <summary>
/// <c>/api/runs/{id}/ledger</c>: the run's model ledger — a summary (calls, completions, tokens, cost,
/// latency percentiles, outcomes) and every call, oldest first. Calls answered from the recording
/// are listed but, as in the report, not counted as spending. The report's model usage (critical
/// path, faults by kind, phases) is in <c>/api/runs/{id}</c> under <c>modelUsage</c>.
/// </summary>
internal static class LedgerJson
{
    public static JsonObject Of(IRunStore store, string runId)
    {
        var ledger = store.Ledger(runId);
        var calls = ledger.All();
        var totals = ledger.Totals();
        var latencies = calls.Select(c => c.LatencyMs).Order().ToArray();
        var outcomes = new JsonObject();
        foreach (var (outcome, n) in ledger.OutcomeCounts().OrderBy(o => o.Key, StringComparer.Ordinal)) outcomes[outcome] = n;
        return new JsonObject
        {
            ["summary"] = new JsonObject
            {
                ["calls"] = totals.Calls, ["completions"] = totals.Completions, ["tokensIn"] = totals.TokensIn, ["tokensOut"] = totals.TokensOut,
                ["costUsd"] = Math.Round(totals.CostUsd, 6),
                ["latencyMs"] = new JsonObject
                {
                    ["p50"] = Percentile(latencies, 0.50), ["p90"] = Percentile(latencies, 0.90), ["p99"] = Percentile(latencies, 0.99),
                    ["max"] = latencies.Length > 0 ? Math.Round(latencies[^1], 2) : null,
                },
                ["outcomes"] = outcomes,
            },
            ["calls"] = new JsonArray(calls.Select(c => (JsonNode?)new JsonObject
            {
                ["at"] = c.At.ToString("O"), ["model"] = c.Model, ["level"] = c.Level, ["program"] = c.ProgramHash, ["completions"] = c.Completions,
                ["tokensIn"] = c.TokensIn, ["tokensOut"] = c.TokensOut, ["latencyMs"] = Math.Round(c.LatencyMs, 2), ["costUsd"] = c.CostUsd,
                ["outcome"] = c.Outcome, ["detail"] = c.Detail, ["position"] = c.Position,
            }).ToArray()),
        };
    }

    /// <summary>The nearest-rank percentile of sorted values; null when there are none.</summary>
    internal static double? Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? null : Math.Round(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)], 2);
}
