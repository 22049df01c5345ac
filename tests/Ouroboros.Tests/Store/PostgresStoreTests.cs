using System.Text.Json.Nodes;
using Ouroboros.Store;
using Ouroboros.Store.Postgres;

namespace Ouroboros.Tests.Store;

/// <summary>
/// What only the PostgreSQL store has to get right: its address (never a password), the server's
/// refusals as one-line errors of the right kind, schema versions, and many processes opening a fresh database at once.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreTests(PostgresServer server)
{
    [Fact]
    public void An_address_parses_shows_no_password_and_refuses_one_in_the_uri()
    {
        var a = PostgresAddress.Parse("postgres://ouro@db.lab:6543/runs?sslmode=require");
        Assert.Equal(("db.lab", 6543, "runs", "ouro", (Npgsql.SslMode?)Npgsql.SslMode.Require), (a.Host, a.Port, a.Database, a.User, a.SslMode));
        Assert.Equal("postgresql://ouro@db.lab:6543/runs", a.ToString());
        Assert.Equal(5432, PostgresAddress.Parse("postgresql://h/d").Port);
        var cs = a.ConnectionString(name => name == "PGPASSWORD" ? "s3cret" : null);
        Assert.Contains("s3cret", cs); // only to the server, from the environment

        var e = Assert.Throws<RunStoreException>(() => PostgresAddress.Parse("postgresql://ouro:s3cret@db.lab/runs"));
        Assert.DoesNotContain("s3cret", e.Message);
        Assert.Contains("PGPASSWORD", e.Message);
        Assert.Contains("names no database", Assert.Throws<RunStoreException>(() => PostgresAddress.Parse("postgresql://db.lab")).Message);
        Assert.Contains("not supported", Assert.Throws<RunStoreException>(() => PostgresAddress.Parse("postgresql://db.lab/x?password=p")).Message);
        Assert.False(PostgresAddress.Names("runs.db"));
    }

    [PostgresFact]
    public void A_missing_database_a_refused_user_and_a_closed_port_are_each_named()
    {
        var missing = Assert.Throws<RunStoreException>(() => RunStores.Open($"postgresql://postgres@127.0.0.1:{server.Port}/no_such_db"));
        Assert.IsNotType<StoreUnreachableException>(missing);
        Assert.Contains("there is no database 'no_such_db'", missing.Message);
        Assert.Contains("createdb", missing.Message);
        var refused = Assert.Throws<StoreUnreachableException>(() => RunStores.Open($"postgresql://nobody@127.0.0.1:{server.Port}/postgres"));
        Assert.Contains("refused user 'nobody'", refused.Message);
        var closed = Assert.Throws<StoreUnreachableException>(() => RunStores.Open($"postgresql://postgres@127.0.0.1:{ClosedPort()}/x"));
        Assert.Contains("cannot reach the PostgreSQL server", closed.Message);
    }

    [PostgresFact]
    public void A_newer_or_foreign_database_is_refused_and_left_as_it_was()
    {
        var db = server.NewDatabase();
        using (var store = RunStores.Open(db)) store.Journal.CreateRun("r", "stop", new JsonObject());
        var name = db[(db.LastIndexOf('/') + 1)..];
        server.Sql("UPDATE schema_version SET version = 99;", name);
        var e = Assert.Throws<RunStoreException>(() => RunStores.Open(db));
        Assert.Contains("has schema version 99, newer than this Ouroboros understands", e.Message);
        Assert.Throws<RunStoreException>(() => RunStores.OpenExisting(db));

        var foreign = server.NewDatabase();
        server.Sql("CREATE TABLE customers (id INTEGER);", foreign[(foreign.LastIndexOf('/') + 1)..]);
        Assert.Contains("is not an Ouroboros run store", Assert.Throws<RunStoreException>(() => RunStores.Open(foreign)).Message);
        var empty = server.NewDatabase();
        Assert.Contains("holds no Ouroboros run store yet", Assert.Throws<RunStoreException>(() => RunStores.OpenExisting(empty)).Message);
        using (var reopened = PostgresRunStore.Open(PostgresAddress.Parse(empty))) Assert.Empty(reopened.Problems());
    }

    [PostgresFact]
    public void Many_processes_opening_a_fresh_database_at_once_migrate_it_once()
    {
        var db = server.NewDatabase();
        var stores = Enumerable.Range(0, 6).AsParallel().WithDegreeOfParallelism(6).Select(_ => RunStores.Open(db)).ToList();
        try
        {
            Parallel.ForEach(stores, (s, _, i) => s.Journal.CreateRun($"r{i}", "stop", new JsonObject()));
            Assert.Equal(6, stores[0].Journal.Runs().Count);
        }
        finally { foreach (var s in stores) s.Dispose(); }
    }

    private static int ClosedPort()
    {
        using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }
}
