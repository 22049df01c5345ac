using Microsoft.Data.Sqlite;
using Ouroboros.Store;

namespace Ouroboros.Tests.Models;

public sealed class RunStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ouro-store-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    [Fact]
    public void A_new_store_has_the_current_schema_and_reopens_with_its_data()
    {
        var path = PathOf("ouroboros.db");
        using (var store = RunStore.Open(path))
        {
            new ModelResponseStore(store).Put("h", 0, "m", "hello");
            Assert.Equal("wal", store.Read(c => { using var cmd = c.CreateCommand(); cmd.CommandText = "PRAGMA journal_mode;"; return (string)cmd.ExecuteScalar()!; }));
        }
        using var again = RunStore.Open(path);
        Assert.Equal("hello", new ModelResponseStore(again).Get("h", 0));
        Assert.Equal(Schema.CurrentVersion, again.Read(c => { using var cmd = c.CreateCommand(); cmd.CommandText = "SELECT version FROM schema_version;"; return Convert.ToInt32(cmd.ExecuteScalar()); }));
    }

    [Fact]
    public void A_store_from_a_newer_Ouroboros_is_refused()
    {
        var path = PathOf("newer.db");
        using (var store = RunStore.Open(path)) store.Execute($"UPDATE schema_version SET version = {Schema.CurrentVersion + 1};");
        var e = Assert.Throws<RunStoreException>(() => RunStore.Open(path));
        Assert.Contains("newer than this Ouroboros", e.Message);
    }

    [Fact]
    public void A_file_that_is_not_SQLite_is_refused_and_left_alone()
    {
        var path = PathOf("notes.txt");
        File.WriteAllText(path, "these are my notes, not a database; please do not overwrite them.\n".PadRight(4096, '.'));
        var before = File.ReadAllText(path);
        var e = Assert.Throws<RunStoreException>(() => RunStore.Open(path));
        Assert.Contains("not a SQLite database", e.Message);
        Assert.Equal(before, File.ReadAllText(path));
    }

    [Fact]
    public void Another_programs_SQLite_database_is_refused()
    {
        var path = PathOf("other.db");
        using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "CREATE TABLE customers (id INTEGER);";
            cmd.ExecuteNonQuery();
        }
        var e = Assert.Throws<RunStoreException>(() => RunStore.Open(path));
        Assert.Contains("not an Ouroboros run store", e.Message);
    }

    [Fact]
    public void The_ledger_counts_outcomes_and_totals_per_level()
    {
        using var store = RunStore.InMemory();
        var log = new ModelCallLog(store);
        log.Add(new ModelCallRecord(DateTimeOffset.UtcNow, "m", "h1", 6, 0, "p", 100, 600, 12, 0.01, "ok", null));
        log.Add(new ModelCallRecord(DateTimeOffset.UtcNow, "m", "h2", 1, 1, "q", null, null, 3, null, "timeout", "slow"));
        log.Add(new ModelCallRecord(DateTimeOffset.UtcNow, "m", "h3", 2, 1, "q", 10, 20, 3, null, "ok", null));
        Assert.Equal(new Dictionary<string, long> { ["ok"] = 2, ["timeout"] = 1 }, log.OutcomeCounts());
        // Two calls at level 1, but only the answered one's completions arrived.
        Assert.Equal(new ModelCallTotals(2, 2, 10, 20, 0), log.Totals(level: 1));
        Assert.Equal(3, log.Totals().Calls);
        Assert.Equal("slow", log.All()[1].Detail);
    }
}
