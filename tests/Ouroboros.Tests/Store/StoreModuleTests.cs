using Microsoft.Data.Sqlite;
using Ouroboros.Stop;
using Ouroboros.Store;

namespace Ouroboros.Tests.Store;

/// <summary>Experiment families own their tables: created on the family's first write, upgraded by its own migrations, refused when newer.</summary>
public sealed class StoreModuleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ouro-module-").FullName;
    private string Path => System.IO.Path.Combine(_dir, "ouroboros.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static readonly StoreModule Notes = new("notes", ["notes"],
    [
        new ModuleMigration("CREATE TABLE notes (run_id TEXT NOT NULL, text TEXT NOT NULL);"),
        new ModuleMigration("ALTER TABLE notes ADD COLUMN stars INTEGER NOT NULL DEFAULT 0;"),
    ]);

    [Fact]
    public void A_family_that_never_wrote_has_no_tables_and_reading_creates_none()
    {
        using (var store = RunStore.Open(Path))
        {
            store.Journal.CreateRun("a", "audit", new());
            Assert.Empty(new IterationTable(store).Iterations("a"));
        }
        Assert.DoesNotContain("iterations", Tables());
        Assert.DoesNotContain("stop", Modules().Keys);
    }

    [Fact]
    public void The_first_write_creates_the_family_tables_at_its_version_and_they_read_back()
    {
        using (var store = RunStore.Open(Path))
        {
            store.Journal.CreateRun("s", "stop", new());
            new IterationTable(store).PutIteration(new IterationRow("s", 0, new string('a', 64), 0.5, 0.25, [0.5], [0.25], true, "seed"));
            new IterationTable(store).PutIteration(new IterationRow("s", 0, new string('a', 64), 0.5, 0.75, [0.5], [0.75], true, "seed again"));
        }
        Assert.Equal(1, Modules()["stop"]);
        using var reopened = RunStore.OpenExisting(Path);
        var row = Assert.Single(new IterationTable(reopened).Iterations("s"));
        Assert.Equal((0.75, "seed again"), (row.Test, row.Reason));
    }

    [Fact]
    public void A_family_migrates_step_by_step_and_a_newer_one_is_refused_with_what_to_do()
    {
        var first = Notes with { Migrations = [Notes.Migrations[0]] };
        using (var store = RunStore.Open(Path))
            store.Tables(first).Execute("INSERT INTO notes (run_id, text) VALUES (@r, @t);", ("@r", "x"), ("@t", "old"));
        Assert.Equal(1, Modules()["notes"]);
        using (var store = RunStore.Open(Path))
        {
            store.Tables(Notes).Execute("INSERT INTO notes (run_id, text, stars) VALUES (@r, @t, 5);", ("@r", "x"), ("@t", "new"));
            Assert.Equal(["old:0", "new:5"], store.Tables(Notes).Query("SELECT text, stars FROM notes ORDER BY rowid;", r => $"{r.GetString(0)}:{r.GetInt64(1)}"));
        }
        Assert.Equal(2, Modules()["notes"]);
        using (var store = RunStore.Open(Path))
        {
            var e = Assert.Throws<RunStoreException>(() => store.Tables(first).Query("SELECT text FROM notes;", r => r.GetString(0)));
            Assert.Contains("notes tables of schema version 2, newer than this Ouroboros understands (1); upgrade ouro", e.Message);
        }
    }

    [Fact]
    public void A_store_made_before_families_owned_their_tables_keeps_its_iterations()
    {
        // What an older build left: schema version 4, STOP's iterations among the shared tables, no module_versions.
        using (var store = RunStore.Open(Path))
        {
            store.Journal.CreateRun("old", "stop", new());
            new IterationTable(store).PutIteration(new IterationRow("old", 0, new string('b', 64), 0.4, 0.3, [0.4], [0.3], true, "seed"));
        }
        Sql("DROP TABLE module_versions; ALTER TABLE runs DROP COLUMN lease_progress; UPDATE schema_version SET version = 4;");

        using (var store = RunStore.Open(Path))
            Assert.Equal("seed", Assert.Single(new IterationTable(store).Iterations("old")).Reason);
        Assert.Equal(1, Modules()["stop"]);
    }

    private List<string> Tables()
    {
        var names = new List<string>();
        Sql("SELECT name FROM sqlite_master WHERE type = 'table';", r => names.Add(r.GetString(0)));
        return names;
    }

    private Dictionary<string, long> Modules()
    {
        var modules = new Dictionary<string, long>();
        Sql("SELECT module, version FROM module_versions;", r => modules[r.GetString(0)] = r.GetInt64(1));
        return modules;
    }

    private void Sql(string sql, Action<SqliteDataReader>? row = null)
    {
        using var c = new SqliteConnection($"Data Source={Path};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        do { while (r.Read()) row?.Invoke(r); } while (r.NextResult());
    }
}
