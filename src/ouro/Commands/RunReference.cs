using Ouroboros.Store;

namespace Ouroboros.Cli.Commands;

/// <summary>
/// What a user may type for a run, in every command that takes one: its full id, or a prefix that
/// names exactly one run (run ids are long: <c>stop-20261121-093012-4f2a</c>).
/// </summary>
internal static class RunReference
{
    /// <summary>The full id of the run the user meant; no match or several is the user's error, naming what to do.</summary>
    public static string Resolve(IRunStore store, string reference, string path)
    {
        var matches = Matches(store, reference);
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new UserError($"no run '{reference}' in {path}; list the runs with 'ouro runs --db {path}'."),
            _ => throw Ambiguous(reference, matches, path),
        };
    }

    /// <summary>The error for a prefix several runs share, naming a few of them.</summary>
    public static UserError Ambiguous(string reference, IReadOnlyList<string> matches, string path) =>
        new($"'{reference}' matches {matches.Count} runs in {path} ({string.Join(", ", matches.Take(3))}{(matches.Count > 3 ? ", ..." : "")}); type more of the id.");

    /// <summary>The exact id alone when it exists (an id may be a prefix of another), else every run whose id starts with <paramref name="reference"/>.</summary>
    public static IReadOnlyList<string> Matches(IRunStore store, string reference)
    {
        if (store.Journal.GetRun(reference) is not null) return [reference];
        return store.Journal.Runs().Where(r => r.Id.StartsWith(reference, StringComparison.Ordinal)).Select(r => r.Id).ToList();
    }
}
