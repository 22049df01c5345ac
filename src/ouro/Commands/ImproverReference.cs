using Ouroboros.Stop;
using Ouroboros.Store;

namespace Ouroboros.Cli.Commands;

/// <summary>
/// Resolves what a user may name as an improver: <c>seed</c> (I₀), a C# file, a program hash (or a
/// prefix of at least 8 characters) in the store, or a STOP run id or unique prefix of one (its final improver).
/// </summary>
internal static class ImproverReference
{
    public static (string Source, string Label) Resolve(string reference, IRunStore store)
    {
        if (reference == "seed") return (Improvers.Seed, "the seed improver I₀");
        if (File.Exists(reference)) return (File.ReadAllText(reference), Path.GetFileName(reference));
        // A hex reference is a hash (run ids start with their kind, a word), unless a run has exactly that id.
        IReadOnlyList<string> runs = reference.All(Uri.IsHexDigit) && store.Journal.GetRun(reference) is null ? [] : RunReference.Matches(store, reference);
        if (runs.Count > 1) throw RunReference.Ambiguous(reference, runs, store.Location);
        if (runs.Count == 1 && store.Journal.GetRun(runs[0]) is { } run)
        {
            reference = run.Id;
            var hash = (string?)run.Result?["finalImprover"]
                ?? throw new UserError($"run {reference} has no final improver (it is a '{run.Kind}' run with status {run.Status}); finish it with 'ouro stop --resume {reference}'");
            return (store.Programs.ProgramSource(hash)!, $"the final improver of {reference} ({hash[..12]})");
        }
        if (reference.Length >= 8 && reference.All(Uri.IsHexDigit))
        {
            var matches = store.Programs.ProgramsStartingWith(reference.ToLowerInvariant());
            if (matches.Count == 1) return (store.Programs.ProgramSource(matches[0])!, $"improver {matches[0][..12]}");
            if (matches.Count > 1) throw new UserError($"'{reference}' matches several programs; give more characters of the hash");
        }
        throw new UserError($"no improver '{reference}': give 'seed', a C# file, a STOP run id or a program hash from the store (see 'ouro runs')");
    }
}
