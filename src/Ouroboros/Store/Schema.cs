using Microsoft.Data.Sqlite;

namespace Ouroboros.Store;

/// <summary>
/// The store's schema as an ordered list of migrations: migration i brings a store from version i
/// to i + 1. To add shared tables append a migration (a family's own tables are its <see cref="StoreModule"/>);
/// never edit one that has shipped, since stores in the field already ran it.
/// </summary>
public static class Schema
{
    private static readonly string[] Migrations =
    [
        // 1: the language-model ledger and the record/replay responses.
        """
        CREATE TABLE model_calls (
            id            INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id        TEXT    NOT NULL DEFAULT '',
            at            TEXT    NOT NULL,
            model         TEXT    NOT NULL,
            request_hash  TEXT    NOT NULL,
            completions   INTEGER NOT NULL,
            level         INTEGER NOT NULL,
            program_hash  TEXT    NOT NULL,
            tokens_in     INTEGER,
            tokens_out    INTEGER,
            latency_ms    REAL    NOT NULL,
            cost_usd      REAL,
            outcome       TEXT    NOT NULL,
            detail        TEXT
        );
        CREATE INDEX model_calls_level ON model_calls(run_id, level);
        CREATE TABLE model_responses (
            run_id        TEXT    NOT NULL DEFAULT '',
            request_hash  TEXT    NOT NULL,
            sample_index  INTEGER NOT NULL,
            model         TEXT    NOT NULL,
            completion    TEXT    NOT NULL,
            recorded_at   TEXT    NOT NULL,
            PRIMARY KEY (run_id, request_hash, sample_index)
        );
        """,
        // 2: runs, programs, evaluations, safety events, finished steps (and, in stores made before
        // families owned their tables, STOP's iterations: see migration 5).
        RunTables.Migration,
        // 3: where in its run each model call was made (its logical position, which names its draws).
        "ALTER TABLE model_calls ADD COLUMN position TEXT;",
        // 4: run leases — which process may write a run now, and its heartbeat.
        RunLeases.Migration,
        // 5: each experiment family's tables' version (StoreModule). Stores made before this hold STOP's
        // iterations table from migration 2: that is the STOP family's version 1, so record it as such.
        """
        CREATE TABLE module_versions (module TEXT PRIMARY KEY, version INTEGER NOT NULL);
        INSERT INTO module_versions (module, version)
            SELECT 'stop', 1 WHERE EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'iterations');
        """,
        // 6: what a running run is doing, written with its lease's heartbeat (a line such as "iteration 2/3 · baseline").
        "ALTER TABLE runs ADD COLUMN lease_progress TEXT;",
    ];

    /// <summary>The version this build writes; a store with a higher one is refused.</summary>
    public static int CurrentVersion => Migrations.Length;

    /// <summary>Brings <paramref name="store"/> up to <see cref="CurrentVersion"/>, each migration in its own transaction.</summary>
    internal static void Migrate(RunStore store)
    {
        int version = store.InTransaction((c, tx) => ReadVersion(c, tx, store.Path));
        if (version > CurrentVersion)
            throw Newer(store.Path, version);
        for (int v = version; v < CurrentVersion; v++)
        {
            int next = v + 1;
            store.InTransaction((c, tx) =>
            {
                Run(c, tx, Migrations[next - 1]);
                Run(c, tx, $"UPDATE schema_version SET version = {next};");
                return next;
            });
        }
    }

    /// <summary>
    /// The schema version of an existing store, read without writing: for readers that must leave a
    /// store exactly as they found it. Refuses foreign and newer stores like <see cref="Migrate"/>.
    /// </summary>
    internal static int PeekVersion(SqliteConnection c, string path)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*), SUM(name = 'schema_version') FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%';";
        long tables, marker;
        using (var r = cmd.ExecuteReader())
        {
            r.Read();
            tables = r.GetInt64(0);
            marker = r.IsDBNull(1) ? 0 : r.GetInt64(1);
        }
        if (marker == 0)
            throw tables > 0 ? Foreign(path) : new RunStoreException($"{path} is an empty SQLite file, not an Ouroboros run store; pass the path of an existing store.");
        cmd.CommandText = "SELECT version FROM schema_version;";
        int version = Convert.ToInt32(cmd.ExecuteScalar() ?? 0);
        if (version > CurrentVersion) throw Newer(path, version);
        return version;
    }

    internal static RunStoreException NotSqlite(string path) =>
        new($"{path} is not an Ouroboros run store (not a SQLite database); pass another path or move the file away.");

    private static RunStoreException Foreign(string path) =>
        new($"{path} is a SQLite database but not an Ouroboros run store; pass another path.");

    private static RunStoreException Newer(string path, int version) =>
        new($"{path} has schema version {version}, newer than this Ouroboros understands ({CurrentVersion}); upgrade ouro or use another store.");

    private static int ReadVersion(SqliteConnection c, SqliteTransaction tx, string path)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%';";
        var tables = new List<string>();
        using (var r = cmd.ExecuteReader()) while (r.Read()) tables.Add(r.GetString(0));
        if (!tables.Contains("schema_version"))
        {
            if (tables.Count > 0)
                throw Foreign(path);
            Run(c, tx, "CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (0);");
            return 0;
        }
        cmd.CommandText = "SELECT version FROM schema_version;";
        return Convert.ToInt32(cmd.ExecuteScalar() ?? 0);
    }

    private static void Run(SqliteConnection c, SqliteTransaction tx, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
