using Microsoft.Data.Sqlite;

namespace Ouroboros.Store;

/// <summary>A store that cannot be used as it is: not SQLite, written by a newer Ouroboros, or foreign.</summary>
public class RunStoreException(string message) : Exception(message);

/// <summary>
/// The store's file cannot be written or read just now — a full disk, an I/O error, a read-only file,
/// a folder that cannot be opened. Nothing was written by the statement that met it; a run it stopped
/// resumes once the cause is fixed.
/// </summary>
public sealed class StoreUnavailableException(string message) : RunStoreException(message);

/// <summary>The store's file is damaged (it fails SQLite's integrity check); Ouroboros writes nothing more into it.</summary>
public sealed class StoreDamagedException(string message) : RunStoreException(message);

/// <summary>Turns the SQLite errors that mean "the file, not the query" into store exceptions naming the file and what to do.</summary>
internal static class StoreFaults
{
    /// <summary>The store exception for <paramref name="e"/>, or null when it is not a fault of the file (a bug: let it through).</summary>
    public static RunStoreException? Of(SqliteException e, string path) => (e.SqliteErrorCode & 0xFF) switch
    {
        13 /* SQLITE_FULL */ => new StoreUnavailableException($"the disk holding the run store {path} is full; free space there (or pass another --db)"),
        10 /* SQLITE_IOERR */ => new StoreUnavailableException($"reading or writing the run store {path} failed (an I/O error); check the disk it is on"),
        8 /* SQLITE_READONLY */ => ReadOnly(path),
        14 /* SQLITE_CANTOPEN */ => new StoreUnavailableException($"the run store {path} cannot be opened; check that its folder exists and is writable, or pass another --db"),
        11 /* SQLITE_CORRUPT */ => Damaged(path, "the database disk image is malformed"),
        26 /* SQLITE_NOTADB */ => Schema.NotSqlite(path),
        _ => null,
    };

    public static StoreUnavailableException ReadOnly(string path) =>
        new($"the run store {path} is read-only; make it, its -wal and -shm files and its folder writable, or pass another --db");

    public static StoreDamagedException Damaged(string path, string problem) =>
        new($"the run store {path} is damaged ({problem.TrimEnd('.')}); nothing was written to it — keep a copy, recover what is readable with 'sqlite3 {path} .recover | sqlite3 recovered.db', or pass another --db");
}

/// <summary>The store's server cannot be reached or refuses us: down, unknown host, wrong password. Nothing was written; retry once it is up.</summary>
public sealed class StoreUnreachableException(string message) : RunStoreException(message);
