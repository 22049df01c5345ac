using System.CommandLine;
using Ouroboros.Store;

namespace Ouroboros.Cli.Commands;

/// <summary>The <c>--db</c> option and how commands that only read open the store: never creating or changing it.</summary>
public static class StoreAccess
{
    public static Option<string> DbOption() => new("--db")
    {
        Description = "The run store (SQLite file)",
        DefaultValueFactory = _ => RunStore.DefaultPath,
    };

    /// <summary>Opens an existing store read-only; a missing file, a non-store or a newer schema is the user's error.</summary>
    public static RunStore OpenForReading(string path)
    {
        try { return RunStore.OpenExisting(path); }
        catch (RunStoreException e) { throw new UserError(e.Message); }
    }
}
