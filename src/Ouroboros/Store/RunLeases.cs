using Microsoft.Data.Sqlite;

namespace Ouroboros.Store;

/// <summary>
/// Run leases in the SQLite store: columns of the <c>runs</c> row (schema migration 4). Taking and
/// renewing are single conditional <c>UPDATE</c>s, which SQLite serialises across processes; times are
/// UTC round-trip strings, so they compare as text.
/// </summary>
internal sealed class RunLeases(RunStore store) : IRunLeases
{
    public const string Migration = """
        ALTER TABLE runs ADD COLUMN lease_host TEXT;
        ALTER TABLE runs ADD COLUMN lease_pid INTEGER;
        ALTER TABLE runs ADD COLUMN lease_token TEXT;             -- null: no one holds the run
        ALTER TABLE runs ADD COLUMN lease_until TEXT;             -- expiry, unless renewed
        ALTER TABLE runs ADD COLUMN lease_renewed_at TEXT;        -- the holder's last heartbeat
        """;

    private const string Columns = "id, lease_host, lease_pid, lease_token, lease_until, lease_renewed_at, lease_progress";

    public bool TryTake(string runId, LeaseHolder holder, TimeSpan expiry, LeaseHolder? replacing, out RunLeaseRow? standing)
    {
        var now = DateTimeOffset.UtcNow;
        int taken = Write("""
            UPDATE runs SET lease_host = $host, lease_pid = $pid, lease_token = $token, lease_until = $until, lease_renewed_at = $now
            WHERE id = $id AND (lease_token IS NULL OR lease_until < $now OR lease_token = $token OR lease_token = $replacing);
            """, runId, holder, now, expiry, ("$replacing", replacing?.Token));
        standing = taken == 1 ? null : Get(runId);
        return taken == 1;
    }

    public bool Renew(string runId, LeaseHolder holder, TimeSpan expiry, string? progress = null) => Write(
        "UPDATE runs SET lease_until = $until, lease_renewed_at = $now, lease_progress = COALESCE($progress, lease_progress) WHERE id = $id AND lease_token = $token;",
        runId, holder, DateTimeOffset.UtcNow, expiry, ("$progress", progress is null ? null : StoredText.Bound(progress, 512))) == 1;

    public void Release(string runId, LeaseHolder holder) => Write(
        "UPDATE runs SET lease_host = NULL, lease_pid = NULL, lease_token = NULL, lease_until = NULL WHERE id = $id AND lease_token = $token;",
        runId, holder, DateTimeOffset.UtcNow, TimeSpan.Zero);

    public RunLeaseRow? Get(string runId) => Read($"SELECT {Columns} FROM runs WHERE id = $id AND lease_token IS NOT NULL;", runId).FirstOrDefault();

    public IReadOnlyList<RunLeaseRow> All() => Read($"SELECT {Columns} FROM runs WHERE lease_token IS NOT NULL;", null);

    private int Write(string sql, string runId, LeaseHolder holder, DateTimeOffset now, TimeSpan expiry, params (string Name, object? Value)[] more) =>
        store.InTransaction((c, tx) =>
        {
            using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = sql;
            cmd.Parameters.AddWithValue("$id", runId);
            cmd.Parameters.AddWithValue("$host", holder.Host);
            cmd.Parameters.AddWithValue("$pid", holder.Pid);
            cmd.Parameters.AddWithValue("$token", holder.Token);
            cmd.Parameters.AddWithValue("$now", Time(now));
            cmd.Parameters.AddWithValue("$until", Time(now + expiry));
            foreach (var (name, value) in more) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
            return cmd.ExecuteNonQuery();
        });

    private List<RunLeaseRow> Read(string sql, string? runId) => store.Read(c =>
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        if (runId is not null) cmd.Parameters.AddWithValue("$id", runId);
        var rows = new List<RunLeaseRow>();
        using var r = cmd.ExecuteReader();
        while (r.Read())
            rows.Add(new RunLeaseRow(r.GetString(0), new LeaseHolder(r.GetString(1), r.GetInt32(2), r.GetString(3)),
                DateTimeOffset.Parse(r.GetString(4)), DateTimeOffset.Parse(r.GetString(5))) { Progress = r.IsDBNull(6) ? null : r.GetString(6) });
        return rows;
    });

    private static string Time(DateTimeOffset t) => t.ToUniversalTime().ToString("O");
}
