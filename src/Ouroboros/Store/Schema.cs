using Microsoft.Data.Sqlite;

namespace Ouroboros.Store;

/// <summary>
/// The store's schema as an ordered list of migrations: migration i brings a store from version i
/// to i + 1. To add tables (runs, programs, evaluations, events, iterations) append a migration;
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
        // 2: runs, programs, evaluations, safety events, iterations, finished steps.
        StopTables.Migration,
    ];

    /// <summary>The version this build writes; a store with a higher one is refused.</summary>
    public static int CurrentVersion => Migrations.Length;

    /// <summary>Brings <paramref name="store"/> up to <see cref="CurrentVersion"/>, each migration in its own transaction.</summary>
    internal static void Migrate(RunStore store)
    {
        int version = store.InTransaction((c, tx) => ReadVersion(c, tx, store.Path));
        if (version > CurrentVersion)
            throw new RunStoreException(
                $"{store.Path} has schema version {version}, newer than this Ouroboros understands ({CurrentVersion}); upgrade ouro or use another store.");
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
                throw new RunStoreException($"{path} is a SQLite database but not an Ouroboros run store; pass another path.");
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
