namespace Ouroboros.Store;

/// <summary>
/// The tables every experiment shares (schema migration 2): runs with their full configuration,
/// programs by content hash with parent links (lineage), every evaluation, every safety event, and
/// the finished steps a resumed run skips. A family's own tables (STOP's iterations) are its own
/// (<see cref="StoreModule"/>); stores made before that have STOP's iterations from this migration,
/// which migration 5 records as the STOP family's version 1.
/// </summary>
internal static class RunTables
{
    public const string Migration = """
        CREATE TABLE runs (
            id           TEXT PRIMARY KEY,
            kind         TEXT NOT NULL,              -- stop | improve | transfer | audit
            status       TEXT NOT NULL,              -- running | finished | failed | interrupted
            config       TEXT NOT NULL,              -- the full configuration, JSON
            created_at   TEXT NOT NULL,
            finished_at  TEXT,
            result       TEXT                        -- the final JSON result, when finished
        );
        CREATE TABLE programs (
            hash         TEXT PRIMARY KEY,           -- SHA-256 of the source
            kind         TEXT NOT NULL,              -- improver | solution
            source       TEXT NOT NULL,
            parent_hash  TEXT,                       -- the program it was made from (lineage)
            run_id       TEXT,                       -- the run that first stored it
            created_at   TEXT NOT NULL
        );
        CREATE TABLE evaluations (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id       TEXT NOT NULL REFERENCES runs(id),
            program_hash TEXT NOT NULL,
            task         TEXT NOT NULL,
            split        TEXT NOT NULL,              -- val | test
            seeds        TEXT NOT NULL,              -- first seed + count, e.g. 4321+20
            utility      REAL NOT NULL,
            instances    TEXT NOT NULL,              -- JSON: [{seed, score, status, ms}]
            statuses     TEXT NOT NULL,              -- JSON: status -> count
            run_ms       REAL NOT NULL,
            created_at   TEXT NOT NULL,
            UNIQUE (run_id, program_hash, task, split, seeds)
        );
        CREATE TABLE safety_events (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id       TEXT NOT NULL REFERENCES runs(id),
            kind         TEXT NOT NULL,
            program_hash TEXT NOT NULL,
            detail       TEXT NOT NULL,
            at           TEXT NOT NULL
        );
        -- A resumed run re-records what it re-executes; the same event twice is one event.
        CREATE UNIQUE INDEX safety_events_once ON safety_events(run_id, kind, program_hash, detail);
        CREATE TABLE steps (
            run_id       TEXT NOT NULL REFERENCES runs(id),
            key          TEXT NOT NULL,              -- a finished unit of work, e.g. improver-run:<hash>:<i>
            value        TEXT NOT NULL,              -- its result, JSON
            PRIMARY KEY (run_id, key)
        );
        """;
}
