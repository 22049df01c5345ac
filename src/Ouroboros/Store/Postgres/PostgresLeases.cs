namespace Ouroboros.Store.Postgres;

/// <summary>
/// Run leases in PostgreSQL: the same columns of <c>runs</c> as the SQLite store, with times as
/// <c>TIMESTAMPTZ</c> set from the server's clock (<c>now()</c>), so holders on machines whose clocks
/// disagree still agree on expiry. Taking is one conditional <c>UPDATE</c>: PostgreSQL re-checks its
/// condition on the row after a concurrent taker commits, so of two exactly one wins.
/// </summary>
internal sealed class PostgresLeases(PostgresRunStore store) : IRunLeases
{
    private const string Columns = "id, lease_host, lease_pid, lease_token, lease_until, lease_renewed_at, lease_progress";

    public bool TryTake(string runId, LeaseHolder holder, TimeSpan expiry, LeaseHolder? replacing, out RunLeaseRow? standing)
    {
        bool taken = store.Write("""
            UPDATE runs SET lease_host = @host, lease_pid = @pid, lease_token = @token, lease_until = now() + @expiry, lease_renewed_at = now()
            WHERE id = @id AND (lease_token IS NULL OR lease_until < now() OR lease_token = @token OR lease_token = @replacing);
            """, ("id", runId), ("host", holder.Host), ("pid", holder.Pid), ("token", holder.Token), ("expiry", expiry), ("replacing", replacing?.Token)) == 1;
        standing = taken ? null : Get(runId);
        return taken;
    }

    public bool Renew(string runId, LeaseHolder holder, TimeSpan expiry, string? progress = null) => (progress is null
        ? store.Write("UPDATE runs SET lease_until = now() + @expiry, lease_renewed_at = now() WHERE id = @id AND lease_token = @token;",
            ("id", runId), ("token", holder.Token), ("expiry", expiry))
        : store.Write("UPDATE runs SET lease_until = now() + @expiry, lease_renewed_at = now(), lease_progress = @progress WHERE id = @id AND lease_token = @token;",
            ("id", runId), ("token", holder.Token), ("expiry", expiry), ("progress", StoredText.Bound(progress, 512)))) == 1;

    public void Release(string runId, LeaseHolder holder) => store.Write(
        "UPDATE runs SET lease_host = NULL, lease_pid = NULL, lease_token = NULL, lease_until = NULL WHERE id = @id AND lease_token = @token;",
        ("id", runId), ("token", holder.Token));

    public RunLeaseRow? Get(string runId) => Read($"SELECT {Columns} FROM runs WHERE id = @id AND lease_token IS NOT NULL;", ("id", runId)).FirstOrDefault();

    public IReadOnlyList<RunLeaseRow> All() => Read($"SELECT {Columns} FROM runs WHERE lease_token IS NOT NULL;");

    private List<RunLeaseRow> Read(string sql, params (string, object?)[] parameters) => store.Query(sql,
        r => new RunLeaseRow(r.GetString(0), new LeaseHolder(r.GetString(1), r.GetInt32(2), r.GetString(3)),
            r.GetFieldValue<DateTimeOffset>(4), r.GetFieldValue<DateTimeOffset>(5)) { Progress = r.IsDBNull(6) ? null : r.GetString(6) }, parameters);
}
