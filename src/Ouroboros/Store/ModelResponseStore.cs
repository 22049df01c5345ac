namespace Ouroboros.Store;

/// <summary>
/// The <c>model_responses</c> table: completions stored content-addressed by request hash and sample
/// index, so a finished run can be replayed offline. Recording the same (request, sample) again
/// keeps the latest recording. Responses belong to one run (<paramref name="runId"/>): two runs asking
/// the same question draw their own answers.
/// </summary>
public sealed class ModelResponseStore(RunStore store, string runId = "") : IResponseRecording
{
    public void Put(string requestHash, long sampleIndex, string model, string completion) => store.InTransaction((c, tx) =>
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT INTO model_responses (run_id, request_hash, sample_index, model, completion, recorded_at)
            VALUES ($run, $hash, $index, $model, $completion, $at)
            ON CONFLICT (run_id, request_hash, sample_index) DO UPDATE SET model = excluded.model, completion = excluded.completion, recorded_at = excluded.recorded_at;
            """;
        cmd.Parameters.AddWithValue("$run", runId);
        cmd.Parameters.AddWithValue("$hash", requestHash);
        cmd.Parameters.AddWithValue("$index", sampleIndex);
        cmd.Parameters.AddWithValue("$model", model);
        cmd.Parameters.AddWithValue("$completion", completion);
        cmd.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O"));
        return cmd.ExecuteNonQuery();
    });

    /// <summary>The recorded completion, or null when this (request, sample) was never recorded.</summary>
    public string? Get(string requestHash, long sampleIndex) => store.Read(c =>
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT completion FROM model_responses WHERE run_id = $run AND request_hash = $hash AND sample_index = $index;";
        cmd.Parameters.AddWithValue("$run", runId);
        cmd.Parameters.AddWithValue("$hash", requestHash);
        cmd.Parameters.AddWithValue("$index", sampleIndex);
        return cmd.ExecuteScalar() as string;
    });
}
