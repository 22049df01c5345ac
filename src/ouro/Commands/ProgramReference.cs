using Ouroboros.Runs;
using Ouroboros.Stop;
using Ouroboros.Reporting;
using Ouroboros.Store;

namespace Ouroboros.Cli.Commands;

/// <summary>
/// What a user may type for a stored program (<c>ouro show</c>): its hash or a prefix of it, a run (id
/// or unique prefix) meaning the run's final improver, or <c>RUN:best</c>, the run's best solution by
/// validation utility. A prefix that names several programs or runs is an error naming them.
/// </summary>
internal static class ProgramReference
{
    public const string BestSuffix = ":best";

    /// <summary>The program's full hash, and a phrase saying which program it is.</summary>
    public static (string Hash, string Label) Resolve(IRunStore store, string reference, string path)
    {
        if (reference.EndsWith(BestSuffix, StringComparison.Ordinal))
        {
            var runId = RunReference.Resolve(store, reference[..^BestSuffix.Length], path);
            var best = LineageQuery.ForRun(store, runId)!.Best
                ?? throw new UserError($"run {runId} evaluated no solution on validation, so it has no best solution; see its programs with 'ouro lineage {runId} --db {path}'.");
            return (best.Hash, $"the best solution of run {runId} (validation utility {ReportFormat.Number(best.Val)})");
        }

        // Hashes are lower-case hex; run ids start with their kind, a word. Both are searched, and both named when both match.
        bool hex = reference.Length > 0 && reference.All(Uri.IsHexDigit);
        var (count, programs) = hex ? store.Programs.ProgramsMatching(reference.ToLowerInvariant(), 3) : (0, []);
        var runs = RunReference.Matches(store, reference);
        if (count + runs.Count == 0)
            throw new UserError($"no program or run '{reference}' in {path}; name a program by its hash or a prefix of it (see 'ouro lineage RUN --db {path}'), " +
                                $"a run by its id (see 'ouro runs --db {path}').");
        if (count + runs.Count > 1)
        {
            // Enough digits to tell the matches apart, however long the prefix typed.
            int digits = Math.Min(64, Math.Max(12, reference.Length + 4));
            var named = programs.Select(p => $"{p.Kind} {p.Hash[..Math.Min(digits, p.Hash.Length)]}").Concat(runs.Take(3).Select(r => $"run {r}"));
            var counted = string.Join(" and ", new[] { Count(count, "program"), Count(runs.Count, "run") }.Where(s => s is not null));
            throw new UserError($"'{reference}' matches {counted} in {path} ({string.Join(", ", named)}{(count > programs.Count || runs.Count > 3 ? ", ..." : "")}); type more of the hash or id.");
        }
        if (count == 1) return (programs[0].Hash, $"{programs[0].Kind} {ReportFormat.Hash(programs[0].Hash)}");

        var run = store.Journal.GetRun(runs[0])!;
        var final = new IterationTable(store).Iterations(run.Id).LastOrDefault(i => i.Adopted)
            ?? throw new UserError($"run {run.Id} is a '{run.Kind}' run with no adopted iteration, so it has no final improver; name one of its programs by hash (see 'ouro lineage {run.Id} --db {path}').");
        return (final.ImproverHash, $"the final improver of run {run.Id} (t={final.T}, {ReportFormat.Hash(final.ImproverHash)})");
    }

    private static string? Count(int n, string what) => n == 0 ? null : $"{n} {what}{(n == 1 ? "" : "s")}";
}
