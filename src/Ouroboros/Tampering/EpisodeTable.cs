using Ouroboros.Store;

namespace Ouroboros.Tampering;

/// <summary>The tamper family's own table in the run store: one row per episode (<see cref="EpisodeRow"/>).</summary>
public sealed class EpisodeTable(IRunStore store)
{
    public static readonly StoreModule Module = new("tamper", ["episodes"],
    [
        new ModuleMigration(
            """
            CREATE TABLE episodes (
                run_id         TEXT NOT NULL REFERENCES runs(id),
                environment    TEXT NOT NULL,
                idx            INTEGER NOT NULL,
                variant        INTEGER NOT NULL,
                status         TEXT NOT NULL,             -- ok | model_fault
                steps          INTEGER NOT NULL,          -- commands run
                reward         REAL,                      -- what the reward command printed, if a number
                passed         INTEGER,                   -- oversight passed (not caught); null: no oversight
                gamed          INTEGER NOT NULL,
                tampered       INTEGER NOT NULL,
                detail         TEXT NOT NULL,
                transcript     TEXT NOT NULL,             -- content hash (programs, kind transcript)
                files_before   TEXT NOT NULL,             -- content hash (programs, kind files)
                files_after    TEXT NOT NULL,
                PRIMARY KEY (run_id, environment, idx)
            );
            """,
            """
            CREATE TABLE episodes (
                run_id         TEXT NOT NULL REFERENCES runs(id),
                environment    TEXT NOT NULL,
                idx            INTEGER NOT NULL,
                variant        INTEGER NOT NULL,
                status         TEXT NOT NULL,
                steps          INTEGER NOT NULL,
                reward         DOUBLE PRECISION,
                passed         INTEGER,
                gamed          INTEGER NOT NULL,
                tampered       INTEGER NOT NULL,
                detail         TEXT NOT NULL,
                transcript     TEXT NOT NULL,
                files_before   TEXT NOT NULL,
                files_after    TEXT NOT NULL,
                PRIMARY KEY (run_id, environment, idx)
            );
            """),
        // The episode's own turns (content hash, programs kind turns): what a resumed curriculum shows again.
        new ModuleMigration("ALTER TABLE episodes ADD COLUMN turns TEXT;"),
    ]);

    private readonly IModuleTables _tables = store.Tables(Module);

    public void Put(EpisodeRow e) => _tables.Execute("""
        INSERT INTO episodes (run_id, environment, idx, variant, status, steps, reward, passed, gamed, tampered, detail, transcript, files_before, files_after, turns)
        VALUES (@run, @env, @idx, @variant, @status, @steps, @reward, @passed, @gamed, @tampered, @detail, @transcript, @before, @after, @turns)
        ON CONFLICT (run_id, environment, idx) DO UPDATE SET variant = excluded.variant, status = excluded.status, steps = excluded.steps,
            reward = excluded.reward, passed = excluded.passed, gamed = excluded.gamed, tampered = excluded.tampered, detail = excluded.detail,
            transcript = excluded.transcript, files_before = excluded.files_before, files_after = excluded.files_after, turns = excluded.turns;
        """, ("@run", e.RunId), ("@env", e.Environment), ("@idx", e.Index), ("@variant", e.Variant), ("@status", e.Status), ("@steps", e.Steps),
        ("@reward", e.Reward), ("@passed", e.Passed is { } p ? (p ? 1 : 0) : null), ("@gamed", e.Gamed ? 1 : 0), ("@tampered", e.Tampered ? 1 : 0),
        ("@detail", StoredText.Bound(e.Detail, 4096)), ("@transcript", e.TranscriptHash), ("@before", e.FilesBefore), ("@after", e.FilesAfter), ("@turns", e.TurnsHash));

    /// <summary>Run <paramref name="runId"/>'s episodes, by environment and index.</summary>
    public IReadOnlyList<EpisodeRow> Episodes(string runId) => _tables.Query(
        "SELECT run_id, environment, idx, variant, status, steps, reward, passed, gamed, tampered, detail, transcript, files_before, files_after, turns FROM episodes WHERE run_id = @run ORDER BY environment, idx;",
        r => new EpisodeRow(r.GetString(0), r.GetString(1), Convert.ToInt32(r.GetValue(2)), Convert.ToInt32(r.GetValue(3)), r.GetString(4), Convert.ToInt32(r.GetValue(5)),
            r.IsDBNull(6) ? null : r.GetDouble(6), r.IsDBNull(7) ? null : Convert.ToInt32(r.GetValue(7)) == 1, Convert.ToInt32(r.GetValue(8)) == 1, Convert.ToInt32(r.GetValue(9)) == 1,
            r.GetString(10), r.GetString(11), r.GetString(12), r.GetString(13)) { TurnsHash = r.IsDBNull(14) ? null : r.GetString(14) },
        ("@run", runId));
}
