using Npgsql;

namespace Ouroboros.Store.Postgres;

/// <summary>
/// The store's schema in PostgreSQL: the same versions as <see cref="Schema"/>, each migration in
/// PostgreSQL's types (<c>BIGSERIAL</c> ids, <c>DOUBLE PRECISION</c>, lease times as <c>TIMESTAMPTZ</c>
/// so expiry is measured on the server's clock). Times a run records stay round-trip text, so a
/// copy between stores keeps them to the character. Append, never edit one that has shipped.
/// </summary>
internal static class PostgresSchema
{
    private static readonly string[] Migrations =
    [
        // 1: the language-model ledger and the record/replay responses.
        """
        CREATE TABLE model_calls (
            id BIGSERIAL PRIMARY KEY, run_id TEXT NOT NULL DEFAULT '', at TEXT NOT NULL, model TEXT NOT NULL,
            request_hash TEXT NOT NULL, completions INTEGER NOT NULL, level INTEGER NOT NULL, program_hash TEXT NOT NULL,
            tokens_in BIGINT, tokens_out BIGINT, latency_ms DOUBLE PRECISION NOT NULL, cost_usd DOUBLE PRECISION,
            outcome TEXT NOT NULL, detail TEXT);
        CREATE INDEX model_calls_level ON model_calls(run_id, level);
        CREATE TABLE model_responses (
            run_id TEXT NOT NULL DEFAULT '', request_hash TEXT NOT NULL, sample_index BIGINT NOT NULL, model TEXT NOT NULL,
            completion TEXT NOT NULL, recorded_at TEXT NOT NULL, PRIMARY KEY (run_id, request_hash, sample_index));
        """,
        // 2: runs, programs, evaluations, safety events, finished steps (RunTables).
        """
        CREATE TABLE runs (
            id TEXT PRIMARY KEY, kind TEXT NOT NULL, status TEXT NOT NULL, config TEXT NOT NULL,
            created_at TEXT NOT NULL, finished_at TEXT, result TEXT);
        CREATE TABLE programs (
            hash TEXT PRIMARY KEY, kind TEXT NOT NULL, source TEXT NOT NULL, parent_hash TEXT, run_id TEXT, created_at TEXT NOT NULL);
        CREATE TABLE evaluations (
            id BIGSERIAL PRIMARY KEY, run_id TEXT NOT NULL REFERENCES runs(id), program_hash TEXT NOT NULL, task TEXT NOT NULL,
            split TEXT NOT NULL, seeds TEXT NOT NULL, utility DOUBLE PRECISION NOT NULL, instances TEXT NOT NULL,
            statuses TEXT NOT NULL, run_ms DOUBLE PRECISION NOT NULL, created_at TEXT NOT NULL,
            UNIQUE (run_id, program_hash, task, split, seeds));
        CREATE TABLE safety_events (
            id BIGSERIAL PRIMARY KEY, run_id TEXT NOT NULL REFERENCES runs(id), kind TEXT NOT NULL,
            program_hash TEXT NOT NULL, detail TEXT NOT NULL, at TEXT NOT NULL);
        CREATE UNIQUE INDEX safety_events_once ON safety_events(run_id, kind, program_hash, detail);
        CREATE TABLE steps (
            run_id TEXT NOT NULL REFERENCES runs(id), key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (run_id, key));
        """,
        // 3: where in its run each model call was made.
        "ALTER TABLE model_calls ADD COLUMN position TEXT;",
        // 4: run leases, on the server's clock.
        """
        ALTER TABLE runs ADD COLUMN lease_host TEXT, ADD COLUMN lease_pid INTEGER, ADD COLUMN lease_token TEXT,
            ADD COLUMN lease_until TIMESTAMPTZ, ADD COLUMN lease_renewed_at TIMESTAMPTZ;
        """,
        // 5: each experiment family's tables' version. A PostgreSQL store never had STOP's iterations among the shared tables.
        "CREATE TABLE module_versions (module TEXT PRIMARY KEY, version INTEGER NOT NULL);",
        // 6: what a running run is doing, written with its lease's heartbeat (a line such as "iteration 2/3 · baseline").
        "ALTER TABLE runs ADD COLUMN lease_progress TEXT;",
    ];

    /// <summary>The advisory lock every schema change takes, so two processes opening a fresh database at once do not both migrate it.</summary>
    public const long MigrationLock = 0x4F55524F424F524F; // "OUROBORO"

    static PostgresSchema()
    {
        // The two stores must agree on what version N means.
        if (Migrations.Length != Schema.CurrentVersion) throw new InvalidOperationException("PostgreSQL and SQLite schemas disagree on the version.");
    }

    /// <summary>Brings the database up to <see cref="Schema.CurrentVersion"/> in one transaction, under <see cref="MigrationLock"/>; refuses a foreign or newer one before writing.</summary>
    public static void Migrate(NpgsqlConnection c, PostgresAddress at)
    {
        using var tx = c.BeginTransaction();
        Exec(c, tx, $"SELECT pg_advisory_xact_lock({MigrationLock});");
        int version = Version(c, tx, at) ?? -1;
        if (version < 0)
        {
            Exec(c, tx, "CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (0);");
            version = 0;
        }
        if (version > Schema.CurrentVersion) throw Newer(at, version);
        for (int v = version; v < Schema.CurrentVersion; v++) Exec(c, tx, Migrations[v]);
        if (version < Schema.CurrentVersion) Exec(c, tx, $"UPDATE schema_version SET version = {Schema.CurrentVersion};");
        tx.Commit();
    }

    /// <summary>
    /// The schema version, read without writing; null for an empty database. A database with tables
    /// but none of ours is foreign; a newer one is refused.
    /// </summary>
    public static int? Version(NpgsqlConnection c, NpgsqlTransaction? tx, PostgresAddress at)
    {
        using var cmd = new NpgsqlCommand(
            "SELECT COUNT(*), COUNT(*) FILTER (WHERE table_name = 'schema_version') FROM information_schema.tables WHERE table_schema = current_schema();", c, tx);
        long tables, marker;
        using (var r = cmd.ExecuteReader()) { r.Read(); tables = r.GetInt64(0); marker = r.GetInt64(1); }
        if (marker == 0)
            return tables == 0 ? null : throw new RunStoreException($"the database {at} holds tables but is not an Ouroboros run store; pass another database.");
        cmd.CommandText = "SELECT version FROM schema_version;";
        int version = Convert.ToInt32(cmd.ExecuteScalar() ?? 0);
        if (version > Schema.CurrentVersion) throw Newer(at, version);
        return version;
    }

    private static RunStoreException Newer(PostgresAddress at, int version) =>
        new($"{at} has schema version {version}, newer than this Ouroboros understands ({Schema.CurrentVersion}); upgrade ouro or use another store.");

    private static void Exec(NpgsqlConnection c, NpgsqlTransaction tx, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, c, tx);
        cmd.ExecuteNonQuery();
    }
}
