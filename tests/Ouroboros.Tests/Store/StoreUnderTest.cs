using Microsoft.Data.Sqlite;
using Ouroboros.Store;
using Ouroboros.Store.Postgres;

namespace Ouroboros.Tests.Store;

/// <summary>
/// One store of a kind for a contract test, opened twice as two processes would (two connections,
/// or two pools): a fresh SQLite file, or a fresh database on the test's PostgreSQL server.
/// </summary>
public sealed class StoreUnderTest : IDisposable
{
    public const string Sqlite = "sqlite", Postgres = "postgres";

    private readonly List<IDisposable> _owned = [];
    private readonly string? _dir;

    /// <summary>The kinds a contract test runs on here: SQLite always, PostgreSQL where it is installed or required.</summary>
    public static TheoryData<string> Kinds()
    {
        var kinds = new TheoryData<string> { Sqlite };
        if (PostgresServer.Wanted) kinds.Add(Postgres);
        return kinds;
    }

    /// <summary>The store as <c>--db</c> names it.</summary>
    public string Db { get; }

    public IRunStore One { get; }
    public IRunStore Two { get; }

    public StoreUnderTest(string kind, PostgresServer server, StoreLimits? limits = null)
    {
        if (kind == Sqlite)
        {
            _dir = Directory.CreateTempSubdirectory("ouro-contract-").FullName;
            Db = Path.Combine(_dir, "runs.db");
        }
        else Db = server.NewDatabase();
        One = Opened(limits);
        Two = Opened(null);
    }

    /// <summary>Another store on the same data, its own connection.</summary>
    public IRunStore Opened(StoreLimits? limits)
    {
        var store = RunStores.Open(Db);
        _owned.Add(store);
        return limits is null ? store : store switch
        {
            RunStore s => s.WithLimits(limits),
            PostgresRunStore p => p.WithLimits(limits),
            _ => throw new InvalidOperationException(),
        };
    }

    public void Dispose()
    {
        foreach (var s in _owned) s.Dispose();
        if (_dir is not null)
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_dir, recursive: true);
        }
    }
}
