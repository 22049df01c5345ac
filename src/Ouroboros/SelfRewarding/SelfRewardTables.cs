using System.Text.Json;
using Ouroboros.Store;

namespace Ouroboros.SelfRewarding;

/// <summary>
/// The self-reward family's tables in the run store: one row per model of each chain (arm × seed:
/// M1, M2, ...) with what its iteration built, every candidate with its judgements, and every pair.
/// A model row marked finished is never run again by a resume.
/// </summary>
public sealed class SelfRewardTables(IRunStore store)
{
    // PostgreSQL's INTEGER is 32 bits: a seed the user gives may not fit.
    private const string Real = "REAL", Double = "DOUBLE PRECISION";

    public static readonly StoreModule Module = new("self-reward", ["self_reward_iterations", "self_reward_candidates", "self_reward_pairs"],
        [new ModuleMigration(Schema(Real, "INTEGER"), Schema(Double, "BIGINT"))]);

    private static string Schema(string real, string bigint) => $"""
        CREATE TABLE self_reward_iterations (
            run_id        TEXT NOT NULL REFERENCES runs(id),
            arm           TEXT NOT NULL,
            seed          {bigint} NOT NULL,
            iteration     INTEGER NOT NULL,          -- t of M_t: 1 is M1
            model_id      TEXT NOT NULL,             -- M_t
            next_model_id TEXT,                      -- M_t+1, trained on AIFT(M_t); null for the last model and the sft arm
            pairs_kept    INTEGER,                   -- AIFT(M_t); null where M_t built none
            pairs_tied    INTEGER,
            too_few       INTEGER,
            mean_length   {real},                    -- characters of M_t's candidates
            metrics       TEXT NOT NULL,             -- JSON: M_t's held-out evaluation, [(name, value, n)]
            finished      INTEGER NOT NULL,
            PRIMARY KEY (run_id, arm, seed, iteration)
        );
        CREATE TABLE self_reward_candidates (
            run_id     TEXT NOT NULL REFERENCES runs(id),
            arm        TEXT NOT NULL,
            seed       {bigint} NOT NULL,
            iteration  INTEGER NOT NULL,
            prompt_idx INTEGER NOT NULL,
            idx        INTEGER NOT NULL,
            prompt     TEXT NOT NULL,
            response   TEXT NOT NULL,
            judgements TEXT NOT NULL,                -- JSON: the raw judgements
            parsed     TEXT NOT NULL,                -- JSON: what each parsed to (null: no score)
            score      {real},                       -- the score pairs were built from; null: none
            PRIMARY KEY (run_id, arm, seed, iteration, prompt_idx, idx)
        );
        CREATE TABLE self_reward_pairs (
            run_id         TEXT NOT NULL REFERENCES runs(id),
            arm            TEXT NOT NULL,
            seed           {bigint} NOT NULL,
            iteration      INTEGER NOT NULL,
            idx            INTEGER NOT NULL,
            prompt         TEXT NOT NULL,
            chosen         TEXT NOT NULL,
            rejected       TEXT NOT NULL,
            score_chosen   {real} NOT NULL,
            score_rejected {real} NOT NULL,
            PRIMARY KEY (run_id, arm, seed, iteration, idx)
        );
        """;

    private readonly IModuleTables _tables = store.Tables(Module);

    /// <summary>Records M_t's row; recording it again (a resumed, unfinished iteration) replaces it.</summary>
    public void Put(ModelRow m) => _tables.Execute("""
        INSERT INTO self_reward_iterations (run_id, arm, seed, iteration, model_id, next_model_id, pairs_kept, pairs_tied, too_few, mean_length, metrics, finished)
        VALUES (@run, @arm, @seed, @t, @model, @next, @kept, @tied, @few, @length, @metrics, @finished)
        ON CONFLICT (run_id, arm, seed, iteration) DO UPDATE SET model_id = excluded.model_id, next_model_id = excluded.next_model_id,
            pairs_kept = excluded.pairs_kept, pairs_tied = excluded.pairs_tied, too_few = excluded.too_few, mean_length = excluded.mean_length,
            metrics = excluded.metrics, finished = excluded.finished;
        """, ("@run", m.RunId), ("@arm", m.Arm), ("@seed", m.Seed), ("@t", m.Iteration), ("@model", m.ModelId), ("@next", m.NextModelId),
        ("@kept", m.Kept), ("@tied", m.Tied), ("@few", m.TooFew), ("@length", m.MeanLength), ("@metrics", JsonSerializer.Serialize(m.Metrics)), ("@finished", m.Finished ? 1 : 0));

    /// <summary>Iteration t's candidates and pairs of one chain, replacing any an interrupted attempt left.</summary>
    public void PutIteration(string runId, string arm, long seed, int iteration, IReadOnlyList<string> prompts, IReadOnlyList<IReadOnlyList<string>> candidates,
        IReadOnlyList<IReadOnlyList<CandidateScore>> scores, IReadOnlyList<PreferencePair> pairs)
    {
        var key = new (string, object?)[] { ("@run", runId), ("@arm", arm), ("@seed", seed), ("@t", iteration) };
        _tables.Execute("DELETE FROM self_reward_candidates WHERE run_id = @run AND arm = @arm AND seed = @seed AND iteration = @t;", key);
        _tables.Execute("DELETE FROM self_reward_pairs WHERE run_id = @run AND arm = @arm AND seed = @seed AND iteration = @t;", key);
        for (int p = 0; p < prompts.Count; p++)
            for (int c = 0; c < candidates[p].Count; c++)
                _tables.Execute("""
                    INSERT INTO self_reward_candidates (run_id, arm, seed, iteration, prompt_idx, idx, prompt, response, judgements, parsed, score)
                    VALUES (@run, @arm, @seed, @t, @p, @c, @prompt, @response, @judgements, @parsed, @score);
                    """, [.. key, ("@p", p), ("@c", c), ("@prompt", prompts[p]), ("@response", candidates[p][c]),
                    ("@judgements", JsonSerializer.Serialize(scores[p][c].Judgements)), ("@parsed", JsonSerializer.Serialize(scores[p][c].Parsed)), ("@score", scores[p][c].Score)]);
        for (int i = 0; i < pairs.Count; i++)
            _tables.Execute("""
                INSERT INTO self_reward_pairs (run_id, arm, seed, iteration, idx, prompt, chosen, rejected, score_chosen, score_rejected)
                VALUES (@run, @arm, @seed, @t, @i, @prompt, @chosen, @rejected, @sc, @sr);
                """, [.. key, ("@i", i), ("@prompt", pairs[i].Prompt), ("@chosen", pairs[i].Chosen), ("@rejected", pairs[i].Rejected),
                ("@sc", pairs[i].ScoreChosen), ("@sr", pairs[i].ScoreRejected)]);
    }

    /// <summary>Run <paramref name="runId"/>'s model rows, by arm, seed and iteration.</summary>
    public IReadOnlyList<ModelRow> Models(string runId) => _tables.Query(
        "SELECT run_id, arm, seed, iteration, model_id, next_model_id, pairs_kept, pairs_tied, too_few, mean_length, metrics, finished FROM self_reward_iterations WHERE run_id = @run ORDER BY arm, seed, iteration;",
        r => new ModelRow(r.GetString(0), r.GetString(1), Convert.ToInt64(r.GetValue(2)), Convert.ToInt32(r.GetValue(3)), r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5),
            Int(r, 6), Int(r, 7), Int(r, 8), r.IsDBNull(9) ? null : r.GetDouble(9),
            JsonSerializer.Deserialize<List<ModelMetric>>(r.GetString(10)) ?? [], Convert.ToInt32(r.GetValue(11)) == 1),
        ("@run", runId));

    /// <summary>The pairs one chain built at iteration t, in order.</summary>
    public IReadOnlyList<PreferencePair> Pairs(string runId, string arm, long seed, int iteration) => _tables.Query(
        "SELECT prompt, chosen, rejected, score_chosen, score_rejected FROM self_reward_pairs WHERE run_id = @run AND arm = @arm AND seed = @seed AND iteration = @t ORDER BY idx;",
        r => new PreferencePair(r.GetString(0), r.GetString(1), r.GetString(2), r.GetDouble(3), r.GetDouble(4), iteration),
        ("@run", runId), ("@arm", arm), ("@seed", seed), ("@t", iteration));

    /// <summary>How many candidates run <paramref name="runId"/> stored (each judged), for a check that a resume repeated none.</summary>
    public int CandidateCount(string runId) => _tables.Query("SELECT COUNT(*) FROM self_reward_candidates WHERE run_id = @run;", r => Convert.ToInt32(r.GetValue(0)), ("@run", runId)).FirstOrDefault();

    private static int? Int(System.Data.IDataRecord r, int i) => r.IsDBNull(i) ? null : Convert.ToInt32(r.GetValue(i));
}

/// <summary>M_t of one chain (arm × seed): its id, the pairs AIFT(M_t) kept and discarded, its candidates' mean length, its evaluation, and whether its step is done.</summary>
public sealed record ModelRow(string RunId, string Arm, long Seed, int Iteration, string ModelId, string? NextModelId, int? Kept, int? Tied, int? TooFew,
    double? MeanLength, IReadOnlyList<ModelMetric> Metrics, bool Finished);
