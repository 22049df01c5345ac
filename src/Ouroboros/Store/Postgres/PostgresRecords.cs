using System.Text.Json.Nodes;
using Npgsql;
using Ouroboros.Safety;

namespace Ouroboros.Store.Postgres;

/// <summary>
/// The shared run tables in PostgreSQL: the journal, programs and evaluations, with the semantics of
/// <see cref="RunRecords"/> (the first parent kept, an evaluation and an event stored once, a step
/// replaced, the steps' byte limits). <c>INSERT OR IGNORE</c> is <c>ON CONFLICT DO NOTHING</c> here, so
/// writers in many processes never double a row.
/// </summary>
internal sealed class PostgresRecords(PostgresRunStore store, StoreLimits limits) : IRunJournal, IProgramStore, IEvaluationStore
{
    private readonly StepBudget _steps = new(limits);
    private const string RunColumns = "id, kind, status, config, created_at, finished_at, result";

    public void CreateRun(string id, string kind, JsonObject config) => store.Write(
        "INSERT INTO runs (id, kind, status, config, created_at) VALUES (@id, @kind, @status, @config, @at);",
        ("id", id), ("kind", kind), ("status", RunStates.Running), ("config", config.ToJsonString()), ("at", Now()));

    public void SetStatus(string id, string status) => store.Write("UPDATE runs SET status = @status WHERE id = @id;", ("id", id), ("status", status));

    public void FinishRun(string id, JsonObject result) => store.Write(
        "UPDATE runs SET status = @status, finished_at = @at, result = @result WHERE id = @id;",
        ("id", id), ("status", RunStates.Finished), ("at", Now()), ("result", result.ToJsonString()));

    public void FailRun(string id, string reason) => store.Write("UPDATE runs SET status = @status, result = @result WHERE id = @id;",
        ("id", id), ("status", RunStates.Failed), ("result", new JsonObject { ["error"] = StoredText.Bound(reason, limits.DetailBytes) }.ToJsonString()));

    public RunRow? GetRun(string id) => store.Query($"SELECT {RunColumns} FROM runs WHERE id = @id;", ReadRun, ("id", id)).FirstOrDefault();

    public IReadOnlyList<RunRow> Runs() => store.Query($"SELECT {RunColumns} FROM runs ORDER BY created_at DESC, id DESC;", ReadRun);

    public bool PutStep(string runId, string key, JsonNode value) => _steps.Put(runId, key, value, new StepBudget.Access(
        run => store.Query("SELECT COALESCE(SUM(octet_length(value)), 0)::BIGINT FROM steps WHERE run_id = @run;", r => r.GetInt64(0), ("run", run)).First(),
        GetStep,
        (run, k, json) => store.Write("INSERT INTO steps (run_id, key, value) VALUES (@run, @key, @value) ON CONFLICT DO NOTHING;", ("run", run), ("key", k), ("value", json)),
        (run, k, json) => store.Write("INSERT INTO steps (run_id, key, value) VALUES (@run, @key, @value) ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value;",
            ("run", run), ("key", k), ("value", json))));

    public JsonNode? GetStep(string runId, string key) =>
        store.Query("SELECT value FROM steps WHERE run_id = @run AND key = @key;", r => JsonNode.Parse(r.GetString(0)), ("run", runId), ("key", key)).FirstOrDefault();

    public void AddEvents(string runId, IEnumerable<SafetyEvent> events)
    {
        var list = events.ToList();
        if (list.Count == 0) return;
        store.InTransaction((c, tx) =>
        {
            foreach (var e in list)
            {
                using var cmd = PostgresRunStore.Command(c, tx,
                    "INSERT INTO safety_events (run_id, kind, program_hash, detail, at) VALUES (@run, @kind, @hash, @detail, @at) ON CONFLICT DO NOTHING;",
                    [("run", runId), ("kind", e.Kind), ("hash", e.ProgramHash), ("detail", StoredText.Bound(e.Detail, limits.DetailBytes)), ("at", e.At.ToString("O"))]);
                cmd.ExecuteNonQuery();
            }
            return 0;
        });
    }

    public IReadOnlyDictionary<string, int> EventCounts(string runId) =>
        store.Query("SELECT kind, COUNT(*)::INTEGER FROM safety_events WHERE run_id = @run GROUP BY kind ORDER BY kind;", r => (r.GetString(0), r.GetInt32(1)), ("run", runId))
            .ToDictionary(x => x.Item1, x => x.Item2);

    public IReadOnlyList<SafetyEvent> Events(string runId) =>
        store.Query("SELECT kind, program_hash, detail, at FROM safety_events WHERE run_id = @run ORDER BY id;",
            r => new SafetyEvent(r.GetString(0), r.GetString(1), r.GetString(2)) { At = DateTimeOffset.Parse(r.GetString(3)) }, ("run", runId));

    public void PutProgram(string hash, string kind, string source, string? parentHash, string runId) => store.Write(
        "INSERT INTO programs (hash, kind, source, parent_hash, run_id, created_at) VALUES (@hash, @kind, @source, @parent, @run, @at) ON CONFLICT DO NOTHING;",
        ("hash", hash), ("kind", kind), ("source", source), ("parent", parentHash), ("run", runId), ("at", Now()));

    public string? ProgramSource(string hash) => store.Query("SELECT source FROM programs WHERE hash = @hash;", r => r.GetString(0), ("hash", hash)).FirstOrDefault();

    public string? ProgramParent(string hash) =>
        store.Query("SELECT parent_hash FROM programs WHERE hash = @hash;", r => r.IsDBNull(0) ? null : r.GetString(0), ("hash", hash)).FirstOrDefault();

    // starts_with, not LIKE: a "%" or "_" typed by a user matches itself only.
    public IReadOnlyList<string> ProgramsStartingWith(string prefix) =>
        store.Query("SELECT hash FROM programs WHERE starts_with(hash, @prefix) LIMIT 2;", r => r.GetString(0), ("prefix", prefix));

    public (int Count, IReadOnlyList<(string Hash, string Kind)> First) ProgramsMatching(string prefix, int limit) => (
        store.Query("SELECT COUNT(*)::INTEGER FROM programs WHERE starts_with(hash, @prefix);", r => r.GetInt32(0), ("prefix", prefix)).First(),
        store.Query("SELECT hash, kind FROM programs WHERE starts_with(hash, @prefix) ORDER BY hash LIMIT @limit;", r => (r.GetString(0), r.GetString(1)), ("prefix", prefix), ("limit", limit)));

    public IReadOnlyList<RunProgram> ProgramsOf(string runId, IReadOnlyCollection<string>? scored = null) => store.Query("""
        SELECT p.hash, p.kind, p.parent_hash, p.run_id,
          (SELECT utility FROM evaluations e WHERE e.run_id = @run AND e.program_hash = p.hash AND e.split = 'val' ORDER BY e.id LIMIT 1),
          (SELECT utility FROM evaluations e WHERE e.run_id = @run AND e.program_hash = p.hash AND e.split = 'test' ORDER BY e.id LIMIT 1),
          (SELECT MIN(e.id) FROM evaluations e WHERE e.run_id = @run AND e.program_hash = p.hash)
        FROM programs p
        WHERE p.run_id = @run OR p.hash = ANY(@scored) OR p.hash IN (SELECT program_hash FROM evaluations WHERE run_id = @run)
        ORDER BY p.created_at, p.hash;
        """,
        r => new RunProgram(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
            r.IsDBNull(4) ? null : r.GetDouble(4), r.IsDBNull(5) ? null : r.GetDouble(5), r.IsDBNull(6) ? null : r.GetInt64(6)),
        ("run", runId), ("scored", (scored ?? []).ToArray()));

    public void PutEvaluation(EvaluationRow e) => store.Write("""
        INSERT INTO evaluations (run_id, program_hash, task, split, seeds, utility, instances, statuses, run_ms, created_at)
        VALUES (@run, @hash, @task, @split, @seeds, @utility, @instances, @statuses, @ms, @at) ON CONFLICT DO NOTHING;
        """, ("run", e.RunId), ("hash", e.ProgramHash), ("task", e.Task), ("split", e.Split), ("seeds", e.Seeds),
        ("utility", e.Utility), ("instances", e.Instances.ToJsonString()), ("statuses", e.Statuses.ToJsonString()), ("ms", e.RunMs), ("at", Now()));

    public EvaluationRow? FindEvaluation(string runId, string programHash, string task, string split, string seeds) => store.Query(
        "SELECT run_id, program_hash, task, split, seeds, utility, instances, statuses, run_ms FROM evaluations " +
        "WHERE run_id = @run AND program_hash = @hash AND task = @task AND split = @split AND seeds = @seeds;",
        ReadEvaluation, ("run", runId), ("hash", programHash), ("task", task), ("split", split), ("seeds", seeds)).FirstOrDefault();

    /// <summary>In the order they were stored (the serial id); a null parameter has no type here, so the filter is two statements.</summary>
    public IReadOnlyList<EvaluationRow> EvaluationsOf(string runId, string? programHash = null) => programHash is null
        ? store.Query("SELECT run_id, program_hash, task, split, seeds, utility, instances, statuses, run_ms FROM evaluations WHERE run_id = @run ORDER BY id;",
            ReadEvaluation, ("run", runId))
        : store.Query("SELECT run_id, program_hash, task, split, seeds, utility, instances, statuses, run_ms FROM evaluations WHERE run_id = @run AND program_hash = @hash ORDER BY id;",
            ReadEvaluation, ("run", runId), ("hash", programHash));

    private static EvaluationRow ReadEvaluation(NpgsqlDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetDouble(5),
        JsonNode.Parse(r.GetString(6))!.AsArray(), JsonNode.Parse(r.GetString(7))!.AsObject(), r.GetDouble(8));

    public int EvaluationCount(string runId) =>
        store.Query("SELECT COUNT(*)::INTEGER FROM evaluations WHERE run_id = @run;", r => r.GetInt32(0), ("run", runId)).First();

    private static RunRow ReadRun(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), JsonNode.Parse(r.GetString(3))!.AsObject(), DateTimeOffset.Parse(r.GetString(4)),
        r.IsDBNull(5) ? null : DateTimeOffset.Parse(r.GetString(5)), r.IsDBNull(6) ? null : JsonNode.Parse(r.GetString(6))?.AsObject());

    private static string Now() => DateTimeOffset.UtcNow.ToString("O");
}
