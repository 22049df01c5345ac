using Ouroboros.Store.Postgres;

namespace Ouroboros.Store;

/// <summary>
/// Opens the run store a <c>--db</c> string names: a PostgreSQL URI (<c>postgresql://</c> or
/// <c>postgres://</c>) opens <see cref="PostgresRunStore"/>, anything else is a SQLite file's path
/// (<see cref="RunStore"/>). The one place that tells the two apart, so every command takes both.
/// </summary>
public static class RunStores
{
    /// <summary>Opens a store to write into, creating its tables when it has none (a SQLite file is created when missing).</summary>
    public static IRunStore Open(string db) =>
        PostgresAddress.Names(db) ? PostgresRunStore.Open(PostgresAddress.Parse(db)) : RunStore.Open(db);

    /// <summary>Opens an existing store for reading, changing nothing (<see cref="RunStore.OpenExisting"/>, <see cref="PostgresRunStore.OpenExisting"/>).</summary>
    public static IRunStore OpenExisting(string db) =>
        PostgresAddress.Names(db) ? PostgresRunStore.OpenExisting(PostgresAddress.Parse(db)) : RunStore.OpenExisting(db);

    /// <summary>Opens an existing store to write into (a resume, a replay, a copy's source): never creates one.</summary>
    public static IRunStore OpenExistingForWriting(string db)
    {
        if (!PostgresAddress.Names(db))
        {
            if (!File.Exists(db) && !Directory.Exists(db)) throw new RunStoreException($"there is no run store at {Path.GetFullPath(db)}; pass --db PATH, or start a run first");
            return RunStore.Open(db);
        }
        PostgresRunStore.OpenExisting(PostgresAddress.Parse(db)).Dispose();
        return Open(db);
    }
}
