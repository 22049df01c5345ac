using System.Collections.Concurrent;
using Npgsql;

namespace Ouroboros.Store.Postgres;

/// <summary>
/// The run store on a PostgreSQL server (<c>--db postgresql://user@host:port/dbname</c>), for a team
/// or a cluster whose processes write one store at once. Same tables and semantics as the SQLite
/// store (<see cref="RunStore"/>): each write one transaction, upserts as <c>ON CONFLICT</c>, leases as
/// one conditional <c>UPDATE</c> on the server's clock. Connections come from a pool, so concurrent
/// calls run concurrently; the server serialises what conflicts.
/// </summary>
public sealed class PostgresRunStore : IRunStore
{
    private readonly NpgsqlDataSource _source;
    private readonly bool _view;
    private PostgresRecords? _records;

    public PostgresAddress Address { get; }

    public string Location => Address.ToString();

    public StoreLimits Limits { get; private init; } = StoreLimits.Default;

    public IRunJournal Journal => _records ??= new PostgresRecords(this, Limits);
    public IProgramStore Programs => (PostgresRecords)Journal;
    public IEvaluationStore Evaluations => (PostgresRecords)Journal;
    public IRunLeases Leases => new PostgresLeases(this);
    public IModelLedger Ledger(string runId) => new PostgresLedger(this, runId);
    public IResponseRecording Recording(string runId) => new PostgresRecording(this, runId);
    public IModuleTables Tables(StoreModule module) => new PostgresModuleTables(this, module);

    /// <summary>The tables as plain rows, for copying runs to another store.</summary>
    internal IRunRows Rows => new PostgresRunRows(this);

    /// <summary>The families' versions this store is known to hold, read once each.</summary>
    internal ConcurrentDictionary<string, int> InstalledModules { get; private init; } = new();

    private PostgresRunStore(NpgsqlDataSource source, PostgresAddress address, bool view = false)
    {
        _source = source;
        Address = address;
        _view = view;
    }

    /// <summary>The same store keeping what programs produce within <paramref name="limits"/>; a view that leaves the pool open when disposed.</summary>
    public PostgresRunStore WithLimits(StoreLimits limits) => new(_source, Address, view: true) { Limits = limits, InstalledModules = InstalledModules };

    /// <summary>
    /// Opens the store at <paramref name="address"/> to write into, bringing its schema up to date (a
    /// fresh database gets every table). An unreachable server, a refused login, a missing, foreign,
    /// read-only or newer database are each a <see cref="RunStoreException"/>, with nothing written.
    /// </summary>
    public static PostgresRunStore Open(PostgresAddress address, Func<string, string?>? environment = null) =>
        Opening(address, environment, (store, c) =>
        {
            using (var cmd = new NpgsqlCommand("SHOW transaction_read_only;", c))
                if ((string?)cmd.ExecuteScalar() == "on") throw PostgresFaults.ReadOnly(address);
            PostgresSchema.Migrate(c, address);
        });

    /// <summary>Opens an existing store for reading without changing it: an empty database is refused, an older one upgraded (its tables would not exist otherwise).</summary>
    public static PostgresRunStore OpenExisting(PostgresAddress address, Func<string, string?>? environment = null)
    {
        bool older = false;
        var store = Opening(address, environment, (_, c) =>
        {
            var version = PostgresSchema.Version(c, null, address)
                ?? throw new RunStoreException($"the database {address} holds no Ouroboros run store yet; run an experiment into it first, or pass another --db.");
            older = version < Schema.CurrentVersion;
        });
        if (!older) return store;
        store.Dispose();
        return Open(address, environment);
    }

    private static PostgresRunStore Opening(PostgresAddress address, Func<string, string?>? environment, Action<PostgresRunStore, NpgsqlConnection> check)
    {
        var store = new PostgresRunStore(NpgsqlDataSource.Create(address.ConnectionString(environment)), address);
        try
        {
            store.Guarded(() =>
            {
                using var c = store._source.OpenConnection();
                check(store, c);
                return 0;
            });
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> inside one transaction on a pooled connection, committed when it returns.</summary>
    internal T InTransaction<T>(Func<NpgsqlConnection, NpgsqlTransaction, T> work) => Guarded(() =>
    {
        using var c = _source.OpenConnection();
        using var tx = c.BeginTransaction();
        var result = work(c, tx);
        tx.Commit();
        return result;
    });

    /// <summary>Runs a read on a pooled connection.</summary>
    internal T Read<T>(Func<NpgsqlConnection, T> work) => Guarded(() =>
    {
        using var c = _source.OpenConnection();
        return work(c);
    });

    /// <summary>A command with <c>@name</c> parameters; null values are sent as SQL NULL.</summary>
    internal static NpgsqlCommand Command(NpgsqlConnection c, NpgsqlTransaction? tx, string sql, IEnumerable<(string Name, object? Value)> parameters)
    {
        var cmd = new NpgsqlCommand(sql, c, tx);
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name.TrimStart('@', '$'), value ?? DBNull.Value);
        return cmd;
    }

    /// <summary>Runs one statement in its own transaction; the number of rows it changed.</summary>
    internal int Write(string sql, params (string Name, object? Value)[] parameters) => InTransaction((c, tx) =>
    {
        using var cmd = Command(c, tx, sql, parameters);
        return cmd.ExecuteNonQuery();
    });

    /// <summary>Runs one query; a row is read by <paramref name="read"/>.</summary>
    internal List<T> Query<T>(string sql, Func<NpgsqlDataReader, T> read, params (string Name, object? Value)[] parameters) => Read(c =>
    {
        using var cmd = Command(c, null, sql, parameters);
        using var r = cmd.ExecuteReader();
        var rows = new List<T>();
        while (r.Read()) rows.Add(read(r));
        return rows;
    });

    /// <summary>
    /// Reads every row of every table (a sequential scan reads each page, so a page the server finds
    /// damaged is reported); PostgreSQL keeps its own pages sound, so this finds what it cannot.
    /// </summary>
    public IReadOnlyList<string> Problems(bool quick = false)
    {
        var found = new List<string>();
        var tables = Query("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name;", r => r.GetString(0));
        foreach (var table in tables)
        {
            try { Read(c => { using var cmd = new NpgsqlCommand($"SELECT COUNT(*) FROM \"{table.Replace("\"", "\"\"")}\";", c); return cmd.ExecuteScalar(); }); }
            catch (StoreDamagedException e) { found.Add($"{table}: {e.Message}"); }
        }
        return found;
    }

    /// <summary>A fault of the server (down, refusing, full, read-only) leaves as a store exception naming it; a bug passes through.</summary>
    private T Guarded<T>(Func<T> work)
    {
        try { return work(); }
        catch (NpgsqlException e) when (PostgresFaults.Of(e, Address) is { } fault) { throw fault; }
    }

    public void Dispose()
    {
        if (!_view) _source.Dispose();
    }
}
