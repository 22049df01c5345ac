using Microsoft.Data.Sqlite;

namespace Ouroboros.Store;

/// <summary>
/// The run store: one SQLite file (default <c>./ouroboros.db</c>) holding everything a run records.
/// Opening it brings the schema up to date (<see cref="Schema"/>) and refuses a file that is not
/// SQLite or that a newer Ouroboros wrote. One connection, used under a lock: the middleware writes
/// from many concurrent calls, and SQLite serialises writers anyway. Callers see it by concern
/// (<see cref="IRunStore"/>); its SQLite connection stays inside the store's folder.
/// </summary>
public sealed class RunStore : IRunStore
{
    /// <summary>Where <c>ouro</c> keeps its store unless told otherwise.</summary>
    public const string DefaultPath = "ouroboros.db";

    private readonly SqliteConnection _connection;
    private readonly Lock _gate;

    private RunRecords? _records;

    /// <summary>The file path, or <c>:memory:</c>.</summary>
    public string Path { get; }

    public string Location => Path;

    public StoreLimits Limits { get; private init; } = StoreLimits.Default;

    private RunRecords Records => _records ??= new RunRecords(this, Limits);

    public IRunJournal Journal => Records;
    public IProgramStore Programs => Records;
    public IEvaluationStore Evaluations => Records;
    public IRunLeases Leases => new RunLeases(this);
    public IModelLedger Ledger(string runId) => new ModelCallLog(this, runId);
    public IResponseRecording Recording(string runId) => new ModelResponseStore(this, runId);
    public IModuleTables Tables(StoreModule module) => new ModuleTables(this, module);

    /// <summary>The tables as plain rows, for copying runs to another store.</summary>
    internal IRunRows Rows => new SqliteRunRows(this);

    /// <summary>The families' versions this store is known to hold, read once each (<see cref="ModuleTables"/>).</summary>
    internal System.Collections.Concurrent.ConcurrentDictionary<string, int> InstalledModules { get; private init; } = new();

    /// <summary>
    /// The same store, keeping what programs produce within <paramref name="limits"/> (tests use small
    /// ones). A view: disposing it leaves the store open; dispose the store itself.
    /// </summary>
    public RunStore WithLimits(StoreLimits limits) => new(_connection, Path, _gate) { Limits = limits, _view = true, InstalledModules = InstalledModules };

    private bool _view;

    private RunStore(SqliteConnection connection, string path, Lock? gate = null)
    {
        _connection = connection;
        Path = path;
        _gate = gate ?? new Lock();
    }

    /// <summary>Opens (creating if needed) the store at <paramref name="path"/>; throws <see cref="RunStoreException"/> when it is unusable.</summary>
    public static RunStore Open(string path = DefaultPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new RunStoreException($"{path} is a directory, not an Ouroboros run store; pass a file's path to --db.");
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Pooling = false }.ToString());
        return Initialise(connection, path, wal: true);
    }

    /// <summary>
    /// Opens an existing store for reading (reports, listings) without creating, migrating or otherwise
    /// touching it: a missing file, a file that is not a store and a newer schema are each refused with
    /// <see cref="RunStoreException"/>. A store from an older Ouroboros is read through the normal
    /// <see cref="Open"/>, which upgrades it, since its tables would otherwise not exist.
    /// </summary>
    public static RunStore OpenExisting(string path = DefaultPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new RunStoreException($"{path} is a directory, not an Ouroboros run store; pass the store's file.");
        if (!File.Exists(full)) throw new RunStoreException($"there is no run store at {path}; pass the path of an existing store.");
        // ReadWrite, not ReadWriteCreate: a missing file is never created. Not ReadOnly either: a
        // read-only connection to a WAL store cannot remove the -wal and -shm files it creates, so it
        // would leave them behind; a read-write one that only reads removes them when it closes.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = full, Pooling = false, Mode = SqliteOpenMode.ReadWrite,
        }.ToString());
        int version = Opening(connection, path, () =>
        {
            using (var cmd = connection.CreateCommand())
            {
                cmd.CommandText = "PRAGMA busy_timeout=5000;";
                cmd.ExecuteNonQuery();
            }
            return Schema.PeekVersion(connection, path);
        });
        if (version == Schema.CurrentVersion) return new RunStore(connection, path);
        connection.Dispose();
        return Open(path);
    }

    /// <summary>A private, throwaway store for tests and one-off commands.</summary>
    public static RunStore InMemory() =>
        Initialise(new SqliteConnection("Data Source=:memory:"), ":memory:", wal: false);

    private static RunStore Initialise(SqliteConnection connection, string path, bool wal) => Opening(connection, path, () =>
    {
        var store = new RunStore(connection, path);
        // Refuse a foreign or newer file before changing anything in it (the journal mode included).
        if (store.Read(c => { using var cmd = c.CreateCommand(); cmd.CommandText = "SELECT COUNT(*) FROM sqlite_master;"; return Convert.ToInt64(cmd.ExecuteScalar()); }) > 0)
            Schema.PeekVersion(connection, path);
        // WAL lets a reader (a report, a dashboard) look at a run while it writes.
        if (wal)
        {
            // SQLite opens a file it may not write read-only without a word; say so before any write.
            if (SQLitePCL.raw.sqlite3_db_readonly(connection.Handle, "main") == 1) throw StoreFaults.ReadOnly(path);
            // Never write into a damaged file: a replay or a resume would bury the damage under new rows.
            if (store.Problems(quick: true) is [var first, ..]) throw StoreFaults.Damaged(path, first);
            store.Execute("PRAGMA journal_mode=WAL;");
        }
        store.Execute("PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;");
        Schema.Migrate(store);
        return store;
    });

    /// <summary>Opens <paramref name="connection"/> and runs <paramref name="work"/>; on failure closes it, naming a non-SQLite file as such.</summary>
    private static T Opening<T>(SqliteConnection connection, string path, Func<T> work)
    {
        try
        {
            connection.Open();
            return work();
        }
        catch (SqliteException e) when (StoreFaults.Of(e, path) is { } fault)
        {
            connection.Dispose();
            throw fault;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// What SQLite's integrity check finds wrong with the file: nothing when it is sound. <paramref name="quick"/>
    /// skips the index-against-table comparison (seconds on a large store become a fraction); both read every page.
    /// </summary>
    public IReadOnlyList<string> Problems(bool quick = false) => Read<IReadOnlyList<string>>(c =>
    {
        try
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = quick ? "PRAGMA quick_check;" : "PRAGMA integrity_check;";
            using var r = cmd.ExecuteReader();
            var found = new List<string>();
            // One finding a line; SQLite heads them with "*** in database main ***", which names no problem.
            while (r.Read())
                found.AddRange(r.GetString(0).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Where(line => line != "ok" && !line.StartsWith("*** in database", StringComparison.Ordinal)));
            return found;
        }
        // Damage that stops the check itself (a broken schema page) is its one finding.
        catch (SqliteException e) when ((e.SqliteErrorCode & 0xFF) == 11) { return ["the database disk image is malformed"]; }
    });

    /// <summary>Runs <paramref name="work"/> inside one transaction, committed when it returns.</summary>
    internal T InTransaction<T>(Func<SqliteConnection, SqliteTransaction, T> work) => Guarded(() =>
    {
        using var tx = _connection.BeginTransaction();
        var result = work(_connection, tx);
        tx.Commit();
        return result;
    });

    /// <summary>Runs a read (or a single statement) on the connection.</summary>
    internal T Read<T>(Func<SqliteConnection, T> work) => Guarded(() => work(_connection));

    /// <summary>Executes SQL with no parameters and no result.</summary>
    public void Execute(string sql) => Guarded(() =>
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteNonQuery();
    });

    /// <summary>Runs <paramref name="work"/> under the lock; a fault of the file (full, I/O, read-only, damaged) leaves as a store exception naming it.</summary>
    private T Guarded<T>(Func<T> work)
    {
        lock (_gate)
        {
            try { return work(); }
            catch (SqliteException e) when (StoreFaults.Of(e, Path) is { } fault) { throw fault; }
        }
    }

    public void Dispose()
    {
        if (_view) return;
        lock (_gate) _connection.Dispose();
    }
}
