using System.Text.Json.Nodes;

namespace Ouroboros.Runs;

/// <summary>
/// How a replay of any experiment ends, from what its comparison found: <see cref="Identical"/>;
/// <see cref="Unreproducible"/> when calls failed in the original (nothing recorded to answer them) and
/// something differs, but nothing the recording could not answer; <see cref="Mismatch"/> otherwise.
/// </summary>
public static class ReplayOutcome
{
    public const string Identical = "identical", Unreproducible = "unreproducible", Mismatch = "mismatch";

    /// <summary>The comparison as <c>ouro replay --json</c> prints it; <paramref name="misses"/> (requests the recording could not answer) head the mismatches.</summary>
    public static JsonObject Of(string original, string replay, IEnumerable<string> differences, IReadOnlyList<string> misses, IReadOnlyList<string>? originalFailures)
    {
        var failures = new JsonArray([.. (originalFailures ?? []).Distinct().Select(f => (JsonNode?)f)]);
        var mismatches = new JsonArray([.. misses.Distinct().Concat(differences).Select(m => (JsonNode?)m)]);
        // A miss the original's faults do not explain is a divergence whatever else happened.
        string outcome = mismatches.Count == 0 ? Identical
            : failures.Count > 0 && misses.Count == 0 ? Unreproducible
            : Mismatch;
        return new JsonObject
        {
            ["run"] = original, ["replay"] = replay, ["outcome"] = outcome, ["identical"] = outcome == Identical,
            ["mismatches"] = mismatches, ["originalFailures"] = failures,
        };
    }
}
