using System.CommandLine;
using Ouroboros.Store;

namespace Ouroboros.Cli.Commands;

/// <summary>The <c>--db</c> option and how commands that only read open the store: never creating or changing it.</summary>
public static class StoreAccess
{
    public static Option<string> DbOption() => new("--db")
    {
        Description = "The run store: a SQLite file's path, or a PostgreSQL server's postgresql://user@host:port/dbname (password from PGPASSWORD or ~/.pgpass)",
        DefaultValueFactory = _ => RunStore.DefaultPath,
    };

    /// <summary>Opens an existing store read-only; a missing file, a non-store or a newer schema is the user's error.</summary>
    public static IRunStore OpenForReading(string db) => Opening(() => RunStores.OpenExisting(db));

    /// <summary>
    /// Opens a store through <paramref name="open"/>: what the store refuses is the user's error (exit 2),
    /// except a server that cannot be reached or refuses the login, which keeps its own exit code.
    /// </summary>
    internal static IRunStore Opening(Func<IRunStore> open)
    {
        try { return open(); }
        catch (StoreUnreachableException) { throw; }
        catch (RunStoreException e) { throw new UserError(e.Message); }
    }
}
