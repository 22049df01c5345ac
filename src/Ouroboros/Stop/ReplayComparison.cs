using System.Text.Json.Nodes;
using Ouroboros.Runs;
using Ouroboros.Store;

namespace Ouroboros.Stop;

/// <summary>
/// Whether a replayed STOP run reproduced the recorded one: every iteration's per-run scores, its
/// improver and adoption, and the baseline, compared exactly; and every request the recording could
/// not answer (the replay asked something the recorded run did not). Three outcomes:
/// <see cref="Identical"/>; <see cref="Unreproducible"/>, when calls failed in the original (nothing
/// recorded to answer them) and something differs — the original's faults, not the code, may be why;
/// <see cref="Mismatch"/> otherwise.
/// </summary>
public static class ReplayComparison
{
    /// <summary>Every score of the replay against the original: iteration by iteration, run by run, and the baseline.</summary>
    public const string Identical = ReplayOutcome.Identical, Unreproducible = ReplayOutcome.Unreproducible, Mismatch = ReplayOutcome.Mismatch;

    /// <param name="originalFailures">Calls the replay failed again because they failed in the original (<c>ReplayMissWatch.OriginalFailures</c>).</param>
    public static JsonObject Compare(IRunStore store, string original, string replay, IReadOnlyList<string> misses, IReadOnlyList<string>? originalFailures = null)
    {
        var mismatches = new List<string>();
        var a = new IterationTable(store).Iterations(original);
        var b = new IterationTable(store).Iterations(replay);
        if (a.Count != b.Count) mismatches.Add($"{a.Count} iterations recorded, {b.Count} replayed");
        foreach (var (x, y) in a.Zip(b))
        {
            if (!x.ValRuns.SequenceEqual(y.ValRuns)) mismatches.Add($"t={x.T}: validation runs [{string.Join(", ", x.ValRuns)}] became [{string.Join(", ", y.ValRuns)}]");
            if (!x.TestRuns.SequenceEqual(y.TestRuns)) mismatches.Add($"t={x.T}: test runs [{string.Join(", ", x.TestRuns)}] became [{string.Join(", ", y.TestRuns)}]");
            if (x.Adopted != y.Adopted) mismatches.Add($"t={x.T}: adopted {x.Adopted} became {y.Adopted}");
            if (x.ImproverHash != y.ImproverHash) mismatches.Add($"t={x.T}: improver {x.ImproverHash[..12]} became {y.ImproverHash[..12]}");
        }
        var finalA = a.LastOrDefault(i => i.Adopted)?.ImproverHash;
        var finalB = b.LastOrDefault(i => i.Adopted)?.ImproverHash;
        if (finalA != finalB) mismatches.Add($"the final improver {Short(finalA)} became {Short(finalB)}");
        var baselineA = store.Journal.GetRun(original)?.Result?["baseline"]?.ToJsonString();
        var baselineB = store.Journal.GetRun(replay)?.Result?["baseline"]?.ToJsonString();
        if (baselineA != baselineB) mismatches.Add("the baseline's scores differ");
        return ReplayOutcome.Of(original, replay, mismatches, misses, originalFailures);
    }

    private static string Short(string? hash) => hash is null ? "(none)" : hash[..12];

}
