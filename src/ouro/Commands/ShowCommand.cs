using System.CommandLine;
using Ouroboros.Reporting;
using Ouroboros.Store;

namespace Ouroboros.Cli.Commands;

/// <summary>
/// <c>ouro show REF [--db PATH]</c>: a stored program's source on stdout, so a result can be taken away
/// (<c>ouro show RUN:best &gt; best.cs</c>). Which program REF names goes to stderr. Reads the store, never writes it.
/// </summary>
public static class ShowCommand
{
    public static Command Create()
    {
        var reference = new Argument<string>("ref")
        {
            Description = $"A program hash or a unique prefix of one; a run id or unique prefix (its final improver); or RUN{ProgramReference.BestSuffix} (its best solution by validation utility)",
        };
        var db = StoreAccess.DbOption();
        var cmd = new Command("show", "Print a stored program's source: by hash, a run's final improver, or a run's best solution.") { reference, db };
        cmd.SetAction((parse, _) =>
        {
            var path = parse.GetValue(db)!;
            using var store = StoreAccess.OpenForReading(path);
            var (hash, label) = ProgramReference.Resolve(store, parse.GetValue(reference)!, path);
            var source = store.Programs.ProgramSource(hash)
                ?? throw new UserError($"{label} is named by the run but not stored in {path}; the store is incomplete.");
            Console.Error.WriteLine($"ouro: {label}: {hash}");
            // Redirected, the bytes as stored, so the file hashes to the program's hash. On a terminal,
            // a generated program's control characters are shown, not obeyed (see Printable).
            if (Console.IsOutputRedirected) Console.Out.Write(source);
            else Console.Out.WriteLine(Printable.Text(source).TrimEnd('\n'));
            return Task.FromResult(ExitCodes.Ok);
        });
        return cmd;
    }
}
