namespace Ouroboros.Store.Postgres;

/// <summary>One run's recorded completions in PostgreSQL (<see cref="ModelResponseStore"/>'s table and semantics): recording a (request, sample) again keeps the latest.</summary>
internal sealed class PostgresRecording(PostgresRunStore store, string runId) : IResponseRecording
{
    public void Put(string requestHash, long sampleIndex, string model, string completion) => store.Write("""
        INSERT INTO model_responses (run_id, request_hash, sample_index, model, completion, recorded_at)
        VALUES (@run, @hash, @index, @model, @completion, @at)
        ON CONFLICT (run_id, request_hash, sample_index) DO UPDATE SET model = excluded.model, completion = excluded.completion, recorded_at = excluded.recorded_at;
        """, ("run", runId), ("hash", requestHash), ("index", sampleIndex), ("model", model), ("completion", completion), ("at", DateTimeOffset.UtcNow.ToString("O")));

    public string? Get(string requestHash, long sampleIndex) => store.Query(
        "SELECT completion FROM model_responses WHERE run_id = @run AND request_hash = @hash AND sample_index = @index;",
        r => r.GetString(0), ("run", runId), ("hash", requestHash), ("index", sampleIndex)).FirstOrDefault();
}
