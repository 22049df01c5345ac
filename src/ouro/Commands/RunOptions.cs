using System.CommandLine;
using Ouroboros.Store;
using Ouroboros.Tasks;

namespace Ouroboros.Cli.Commands;

/// <summary>Options and checks shared by the commands that run or read experiments.</summary>
internal static class RunOptions
{
    public static Option<string> Db() => StoreAccess.DbOption();

    public static Option<bool> Json() => new("--json") { Description = "Print the final result as one JSON object on the last line of stdout (progress goes to stderr)" };

    /// <summary>
    /// Opens a store to write into (created when missing); a foreign, newer, read-only or damaged file is
    /// bad input, refused before anything is written.
    /// </summary>
    public static IRunStore OpenForWriting(string db) => StoreAccess.Opening(() => RunStores.Open(db));

    /// <summary>Opens an existing store to write into (a resume, a replay); never creates one.</summary>
    public static IRunStore OpenExisting(string db) => StoreAccess.Opening(() => RunStores.OpenExistingForWriting(db));
}
