using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Ouroboros.Safety;

namespace Ouroboros.Store;

/// <summary>A run as stored: its id, kind, status, configuration and, once finished, its result.</summary>
public sealed record RunRow(string Id, string Kind, string Status, JsonObject Config, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt, JsonObject? Result);

/// <summary>A stored evaluation of a program on a task's split.</summary>
public sealed record EvaluationRow(string RunId, string ProgramHash, string Task, string Split, string Seeds, double Utility,
    JsonArray Instances, JsonObject Statuses, double RunMs);

/// <summary>
/// Reads and writes the run tables every experiment shares (<see cref="RunTables"/>). Each write is one transaction, so a
/// run killed at any point leaves whole records only; a resumed run finds what finished. What
/// programs can make large is bounded by <see cref="StoreLimits"/>.
/// </summary>
public sealed class RunRecords(RunStore store, StoreLimits? limits = null) : IRunJournal, IProgramStore, IEvaluationStore
{
    /// <summary>The step that says a run stopped remembering sandbox runs (<see cref="StoreLimits.RunStepBytes"/>).</summary>
    public const string StepsBudgetSpent = "store:steps-budget-spent";


    public const string Running = RunStates.Running, Finished = RunStates.Finished, Failed = RunStates.Failed, Interrupted = RunStates.Interrupted;

    public RunStore Store => store;

    public StoreLimits Limits { get; } = limits ?? StoreLimits.Default;

    private readonly StepBudget _steps = new(limits ?? StoreLimits.Default);

    public void CreateRun(string id, string kind, JsonObject config) => Write(
        "INSERT INTO runs (id, kind, status, config, created_at) VALUES ($id, $kind, $status, $config, $at);",
        ("$id", id), ("$kind", kind), ("$status", Running), ("$config", config.ToJsonString()), ("$at", Now()));

    public void SetStatus(string id, string status) => Write("UPDATE runs SET status = $status WHERE id = $id;", ("$id", id), ("$status", status));

    public void FinishRun(string id, JsonObject result) => Write(
        "UPDATE runs SET status = $status, finished_at = $at, result = $result WHERE id = $id;",
        ("$id", id), ("$status", Finished), ("$at", Now()), ("$result", result.ToJsonString()));

    public RunRow? GetRun(string id) => Query("SELECT id, kind, status, config, created_at, finished_at, result FROM runs WHERE id = $id;", ReadRun, ("$id", id)).FirstOrDefault();

    /// <summary>Every run, newest first.</summary>
    public IReadOnlyList<RunRow> Runs() => Query("SELECT id, kind, status, config, created_at, finished_at, result FROM runs ORDER BY created_at DESC, id DESC;", ReadRun);

    /// <summary>Stores a program once; the first parent recorded is kept.</summary>
    public void PutProgram(string hash, string kind, string source, string? parentHash, string runId) => Write(
        "INSERT OR IGNORE INTO programs (hash, kind, source, parent_hash, run_id, created_at) VALUES ($hash, $kind, $source, $parent, $run, $at);",
        ("$hash", hash), ("$kind", kind), ("$source", source), ("$parent", parentHash), ("$run", runId), ("$at", Now()));

    public string? ProgramSource(string hash) => Query("SELECT source FROM programs WHERE hash = $hash;", r => r.GetString(0), ("$hash", hash)).FirstOrDefault();

    /// <summary>Programs whose hash starts with <paramref name="prefix"/> (so users can type a short reference).</summary>
    public IReadOnlyList<string> ProgramsStartingWith(string prefix) =>
        Query("SELECT hash FROM programs WHERE substr(hash, 1, length($prefix)) = $prefix LIMIT 2;", r => r.GetString(0), ("$prefix", prefix));

    public string? ProgramParent(string hash) => Query("SELECT parent_hash FROM programs WHERE hash = $hash;", r => r.IsDBNull(0) ? null : r.GetString(0), ("$hash", hash)).FirstOrDefault();

    public void PutEvaluation(EvaluationRow e) => Write("""
        INSERT OR IGNORE INTO evaluations (run_id, program_hash, task, split, seeds, utility, instances, statuses, run_ms, created_at)
        VALUES ($run, $hash, $task, $split, $seeds, $utility, $instances, $statuses, $ms, $at);
        """, ("$run", e.RunId), ("$hash", e.ProgramHash), ("$task", e.Task), ("$split", e.Split), ("$seeds", e.Seeds),
        ("$utility", e.Utility), ("$instances", e.Instances.ToJsonString()), ("$statuses", e.Statuses.ToJsonString()), ("$ms", e.RunMs), ("$at", Now()));

    public EvaluationRow? FindEvaluation(string runId, string programHash, string task, string split, string seeds) => Query(
        "SELECT run_id, program_hash, task, split, seeds, utility, instances, statuses, run_ms FROM evaluations WHERE run_id = $run AND program_hash = $hash AND task = $task AND split = $split AND seeds = $seeds;",
        ReadEvaluation, ("$run", runId), ("$hash", programHash), ("$task", task), ("$split", split), ("$seeds", seeds)).FirstOrDefault();

    public IReadOnlyList<EvaluationRow> EvaluationsOf(string runId, string? programHash = null) => Query(
        "SELECT run_id, program_hash, task, split, seeds, utility, instances, statuses, run_ms FROM evaluations WHERE run_id = $run AND ($hash IS NULL OR program_hash = $hash) ORDER BY rowid;",
        ReadEvaluation, ("$run", runId), ("$hash", programHash));

    private static EvaluationRow ReadEvaluation(SqliteDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetDouble(5),
        JsonNode.Parse(r.GetString(6))!.AsArray(), JsonNode.Parse(r.GetString(7))!.AsObject(), r.GetDouble(8));

    public int EvaluationCount(string runId) => Query("SELECT COUNT(*) FROM evaluations WHERE run_id = $run;", r => r.GetInt32(0), ("$run", runId)).First();

    public void AddEvents(string runId, IEnumerable<SafetyEvent> events)
    {
        var list = events.ToList();
        if (list.Count == 0) return;
        store.InTransaction((c, tx) =>
        {
            foreach (var e in list)
                Exec(c, tx, "INSERT OR IGNORE INTO safety_events (run_id, kind, program_hash, detail, at) VALUES ($run, $kind, $hash, $detail, $at);",
                    ("$run", runId), ("$kind", e.Kind), ("$hash", e.ProgramHash), ("$detail", StoredText.Bound(e.Detail, Limits.DetailBytes)), ("$at", e.At.ToString("O")));
            return 0;
        });
    }

    /// <summary>How many events of each kind a run raised.</summary>
    public IReadOnlyDictionary<string, int> EventCounts(string runId) =>
        Query("SELECT kind, COUNT(*) FROM safety_events WHERE run_id = $run GROUP BY kind ORDER BY kind;", r => (r.GetString(0), r.GetInt32(1)), ("$run", runId))
            .ToDictionary(x => x.Item1, x => x.Item2);

    public IReadOnlyList<SafetyEvent> Events(string runId) =>
        Query("SELECT kind, program_hash, detail, at FROM safety_events WHERE run_id = $run ORDER BY id;",
            r => new SafetyEvent(r.GetString(0), r.GetString(1), r.GetString(2)) { At = DateTimeOffset.Parse(r.GetString(3)) }, ("$run", runId));

    /// <summary>
    /// Records a finished unit of work so a resumed run can skip it. A step over
    /// <see cref="StoreLimits.StepBytes"/>, or one that would take the run past
    /// <see cref="StoreLimits.RunStepBytes"/>, is not kept (a resume re-executes it); the first time,
    /// the run records <see cref="StepsBudgetSpent"/> to say so. Returns whether it was kept.
    /// </summary>
    public bool PutStep(string runId, string key, JsonNode value) => _steps.Put(runId, key, value, new StepBudget.Access(
        run => Query("SELECT COALESCE(SUM(LENGTH(CAST(value AS BLOB))), 0) FROM steps WHERE run_id = $run;", r => r.GetInt64(0), ("$run", run)).First(),
        GetStep,
        (run, k, json) => Write("INSERT OR IGNORE INTO steps (run_id, key, value) VALUES ($run, $key, $value);", ("$run", run), ("$key", k), ("$value", json)),
        (run, k, json) => Write("INSERT OR REPLACE INTO steps (run_id, key, value) VALUES ($run, $key, $value);", ("$run", run), ("$key", k), ("$value", json))));

    public JsonNode? GetStep(string runId, string key) =>
        Query("SELECT value FROM steps WHERE run_id = $run AND key = $key;", r => JsonNode.Parse(r.GetString(0)), ("$run", runId), ("$key", key)).FirstOrDefault();

    /// <summary>How many programs' hashes start with <paramref name="prefix"/> (hex, lower case), and the first few with their kind, to name them.</summary>
    public (int Count, IReadOnlyList<(string Hash, string Kind)> First) ProgramsMatching(string prefix, int limit) => (
        Query("SELECT COUNT(*) FROM programs WHERE substr(hash, 1, length($prefix)) = $prefix;", r => r.GetInt32(0), ("$prefix", prefix)).First(),
        Query("SELECT hash, kind FROM programs WHERE substr(hash, 1, length($prefix)) = $prefix ORDER BY hash LIMIT $limit;", r => (r.GetString(0), r.GetString(1)), ("$prefix", prefix), ("$limit", limit)));

    /// <summary>
    /// The programs of one run: those it stored first, and those another run stored first that this
    /// run evaluated or scored in its family's tables (<paramref name="scored"/>, e.g. STOP's iterations). Programs are content-addressed, so a run repeating another
    /// (same seed, same model) stores nothing new; without the second and third clauses its lineage would
    /// be empty. Reads only, in one statement.
    /// </summary>
    public IReadOnlyList<RunProgram> ProgramsOf(string runId, IReadOnlyCollection<string>? scored = null)
    {
        scored ??= [];
        return store.Read(c =>
        {
            using var cmd = c.CreateCommand();
            var scoredList = string.Join(", ", scored.Select((_, i) => $"$scored{i}"));
            // One evaluation per program, split and seeds in a run; a run on one task has one per split.
            // Transfer runs score one solution per task, so "first" is as good as any there.
            cmd.CommandText = $"""
                SELECT p.hash, p.kind, p.parent_hash, p.run_id,
                  (SELECT utility FROM evaluations e WHERE e.run_id = $run AND e.program_hash = p.hash AND e.split = 'val' ORDER BY e.id LIMIT 1),
                  (SELECT utility FROM evaluations e WHERE e.run_id = $run AND e.program_hash = p.hash AND e.split = 'test' ORDER BY e.id LIMIT 1),
                  (SELECT MIN(e.id) FROM evaluations e WHERE e.run_id = $run AND e.program_hash = p.hash)
                FROM programs p
                WHERE p.run_id = $run
                {(scored.Count > 0 ? $"OR p.hash IN ({scoredList})" : "")}
                   OR p.hash IN (SELECT program_hash FROM evaluations WHERE run_id = $run)
                ORDER BY p.created_at, p.hash;
                """;
            cmd.Parameters.AddWithValue("$run", runId);
            foreach (var (hash, i) in scored.Select((h, i) => (h, i))) cmd.Parameters.AddWithValue($"$scored{i}", hash);
            var rows = new List<RunProgram>();
            using var r = cmd.ExecuteReader();
            while (r.Read())
                rows.Add(new RunProgram(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
                    r.IsDBNull(4) ? null : r.GetDouble(4), r.IsDBNull(5) ? null : r.GetDouble(5), r.IsDBNull(6) ? null : r.GetInt64(6)));
            return rows;
        });
    }

    private static RunRow ReadRun(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), JsonNode.Parse(r.GetString(3))!.AsObject(), DateTimeOffset.Parse(r.GetString(4)),
        r.IsDBNull(5) ? null : DateTimeOffset.Parse(r.GetString(5)), r.IsDBNull(6) ? null : JsonNode.Parse(r.GetString(6))?.AsObject());

    private void Write(string sql, params (string Name, object? Value)[] parameters) =>
        store.InTransaction((c, tx) => Exec(c, tx, sql, parameters));

    private static int Exec(SqliteConnection c, SqliteTransaction tx, string sql, params (string Name, object? Value)[] parameters)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd.ExecuteNonQuery();
    }

    private IReadOnlyList<T> Query<T>(string sql, Func<SqliteDataReader, T> read, params (string Name, object? Value)[] parameters) => store.Read(c =>
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        var rows = new List<T>();
        using var reader = cmd.ExecuteReader();
        while (reader.Read()) rows.Add(read(reader));
        return rows;
    });

    private static string Now() => DateTimeOffset.UtcNow.ToString("O");

    public void FailRun(string id, string reason) => Write("UPDATE runs SET status = $status, result = $result WHERE id = $id;",
        ("$id", id), ("$status", Failed), ("$result", new JsonObject { ["error"] = StoredText.Bound(reason, Limits.DetailBytes) }.ToJsonString()));
}
