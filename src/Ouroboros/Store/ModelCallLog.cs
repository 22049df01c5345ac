using Microsoft.Data.Sqlite;

namespace Ouroboros.Store;

/// <summary>One row of the language-model ledger: a call, who made it, what it cost and how it ended.</summary>
public sealed record ModelCallRecord(
    DateTimeOffset At,
    string Model,
    string RequestHash,
    int Completions,
    int Level,
    string ProgramHash,
    long? TokensIn,
    long? TokensOut,
    double LatencyMs,
    double? CostUsd,
    string Outcome,
    string? Detail,
    string? Position = null);

/// <summary>Totals over ledger rows, e.g. for one recursion level.</summary>
public sealed record ModelCallTotals(long Calls, long Completions, long TokensIn, long TokensOut, double CostUsd);

/// <summary>The <c>model_calls</c> table: append-only ledger of every model call, and the counts reports need.</summary>
public sealed class ModelCallLog(RunStore store, string runId = "") : IModelLedger
{
    public void Add(ModelCallRecord r) => store.InTransaction((c, tx) =>
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT INTO model_calls (run_id, at, model, request_hash, completions, level, program_hash, tokens_in, tokens_out, latency_ms, cost_usd, outcome, detail, position)
            VALUES ($run, $at, $model, $hash, $n, $level, $program, $in, $out, $latency, $cost, $outcome, $detail, $position);
            """;
        cmd.Parameters.AddWithValue("$run", runId);
        cmd.Parameters.AddWithValue("$at", r.At.ToString("O"));
        cmd.Parameters.AddWithValue("$model", r.Model);
        cmd.Parameters.AddWithValue("$hash", r.RequestHash);
        cmd.Parameters.AddWithValue("$n", r.Completions);
        cmd.Parameters.AddWithValue("$level", r.Level);
        cmd.Parameters.AddWithValue("$program", r.ProgramHash);
        cmd.Parameters.AddWithValue("$in", (object?)r.TokensIn ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$out", (object?)r.TokensOut ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$latency", r.LatencyMs);
        cmd.Parameters.AddWithValue("$cost", (object?)r.CostUsd ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$outcome", r.Outcome);
        cmd.Parameters.AddWithValue("$position", (object?)r.Position ?? DBNull.Value);
        // A provider's error body is whatever the provider sent: bounded like every other detail.
        cmd.Parameters.AddWithValue("$detail", r.Detail is null ? DBNull.Value : StoredText.Bound(r.Detail, StoreLimits.Default.DetailBytes));
        return cmd.ExecuteNonQuery();
    });

    /// <summary>Every row, oldest first.</summary>
    public IReadOnlyList<ModelCallRecord> All() => store.Read(c =>
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT at, model, request_hash, completions, level, program_hash, tokens_in, tokens_out, latency_ms, cost_usd, outcome, detail, position FROM model_calls WHERE run_id = $run ORDER BY id;";
        cmd.Parameters.AddWithValue("$run", runId);
        using var r = cmd.ExecuteReader();
        var rows = new List<ModelCallRecord>();
        while (r.Read())
            rows.Add(new ModelCallRecord(
                DateTimeOffset.Parse(r.GetString(0), System.Globalization.CultureInfo.InvariantCulture),
                r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetInt32(4), r.GetString(5),
                NullableLong(r, 6), NullableLong(r, 7), r.GetDouble(8),
                r.IsDBNull(9) ? null : r.GetDouble(9), r.GetString(10), r.IsDBNull(11) ? null : r.GetString(11), r.IsDBNull(12) ? null : r.GetString(12)));
        return rows;
    });

    /// <summary>How many calls ended each way (<c>ok</c>, <c>timeout</c>, <c>no_code_block</c>, ...), and how many faults were retried (<c>retried:server_error</c>, ...): the report's fault counts.</summary>
    public IReadOnlyDictionary<string, long> OutcomeCounts() => store.Read(c =>
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT outcome, COUNT(*) FROM model_calls WHERE run_id = $run GROUP BY outcome;";
        cmd.Parameters.AddWithValue("$run", runId);
        using var r = cmd.ExecuteReader();
        var counts = new Dictionary<string, long>();
        while (r.Read()) counts[r.GetString(0)] = r.GetInt64(1);
        return (IReadOnlyDictionary<string, long>)counts;
    });

    /// <summary>Calls, completions that arrived (none for a faulted call), tokens and money spent, over all levels or one.</summary>
    public ModelCallTotals Totals(int? level = null) => store.Read(c =>
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = """
            SELECT COUNT(*), COALESCE(SUM(CASE WHEN outcome IN ('ok', 'no_code_block') THEN completions ELSE 0 END), 0), COALESCE(SUM(tokens_in), 0), COALESCE(SUM(tokens_out), 0), COALESCE(SUM(cost_usd), 0)
            FROM model_calls WHERE run_id = $run AND outcome <> 'replayed' AND outcome NOT LIKE 'retried:%' AND ($level IS NULL OR level = $level);
            """;
        cmd.Parameters.AddWithValue("$level", (object?)level ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$run", runId);
        using var r = cmd.ExecuteReader();
        r.Read();
        return new ModelCallTotals(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetDouble(4));
    });

    private static long? NullableLong(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);
}
