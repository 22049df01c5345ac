using Npgsql;

namespace Ouroboros.Store.Postgres;

/// <summary>One run's model ledger in PostgreSQL (<see cref="ModelCallLog"/>'s table and semantics): append-only, oldest first by id.</summary>
internal sealed class PostgresLedger(PostgresRunStore store, string runId) : IModelLedger
{
    public void Add(ModelCallRecord r) => store.Write("""
        INSERT INTO model_calls (run_id, at, model, request_hash, completions, level, program_hash, tokens_in, tokens_out, latency_ms, cost_usd, outcome, detail, position)
        VALUES (@run, @at, @model, @hash, @n, @level, @program, @in, @out, @latency, @cost, @outcome, @detail, @position);
        """, ("run", runId), ("at", r.At.ToString("O")), ("model", r.Model), ("hash", r.RequestHash), ("n", r.Completions), ("level", r.Level),
        ("program", r.ProgramHash), ("in", r.TokensIn), ("out", r.TokensOut), ("latency", r.LatencyMs), ("cost", r.CostUsd), ("outcome", r.Outcome),
        // A provider's error body is whatever the provider sent: bounded like every other detail.
        ("detail", r.Detail is null ? null : StoredText.Bound(r.Detail, StoreLimits.Default.DetailBytes)), ("position", r.Position));

    public IReadOnlyList<ModelCallRecord> All() => store.Query(
        "SELECT at, model, request_hash, completions, level, program_hash, tokens_in, tokens_out, latency_ms, cost_usd, outcome, detail, position FROM model_calls WHERE run_id = @run ORDER BY id;",
        r => new ModelCallRecord(
            DateTimeOffset.Parse(r.GetString(0), System.Globalization.CultureInfo.InvariantCulture),
            r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetInt32(4), r.GetString(5),
            Long(r, 6), Long(r, 7), r.GetDouble(8), r.IsDBNull(9) ? null : r.GetDouble(9), r.GetString(10),
            r.IsDBNull(11) ? null : r.GetString(11), r.IsDBNull(12) ? null : r.GetString(12)),
        ("run", runId));

    public IReadOnlyDictionary<string, long> OutcomeCounts() =>
        store.Query("SELECT outcome, COUNT(*) FROM model_calls WHERE run_id = @run GROUP BY outcome;", r => (r.GetString(0), r.GetInt64(1)), ("run", runId))
            .ToDictionary(x => x.Item1, x => x.Item2);

    public ModelCallTotals Totals(int? level = null) => store.Query("""
        SELECT COUNT(*), COALESCE(SUM(CASE WHEN outcome IN ('ok', 'no_code_block') THEN completions ELSE 0 END), 0)::BIGINT,
               COALESCE(SUM(tokens_in), 0)::BIGINT, COALESCE(SUM(tokens_out), 0)::BIGINT, COALESCE(SUM(cost_usd), 0)
        FROM model_calls WHERE run_id = @run AND outcome <> 'replayed' AND outcome NOT LIKE 'retried:%' AND (@level::INTEGER IS NULL OR level = @level::INTEGER);
        """, r => new ModelCallTotals(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetDouble(4)), ("run", runId), ("level", level)).First();

    private static long? Long(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);
}
