using System.Text.Json.Nodes;
using Ouroboros.Runs;
using Ouroboros.Store;

namespace Ouroboros.Tampering;

/// <summary>
/// Whether a replayed tamper run reproduced the recorded one: every episode's transcript (so every
/// action and every output the shell gave), the files it left, its grade and its status, compared
/// exactly, episode by episode (<see cref="ReplayOutcome"/>).
/// </summary>
public static class TamperReplayComparison
{
    public static JsonObject Compare(IRunStore store, string original, string replay, IReadOnlyList<string> misses, IReadOnlyList<string>? originalFailures)
    {
        var table = new EpisodeTable(store);
        var a = table.Episodes(original).ToDictionary(e => (e.Environment, e.Index));
        var b = table.Episodes(replay).ToDictionary(e => (e.Environment, e.Index));
        var differences = new List<string>();
        foreach (var key in a.Keys.Union(b.Keys).OrderBy(k => k.Environment, StringComparer.Ordinal).ThenBy(k => k.Index))
        {
            var name = $"{key.Environment} #{key.Index}";
            if (!a.TryGetValue(key, out var x)) { differences.Add($"{name}: not in the recorded run"); continue; }
            if (!b.TryGetValue(key, out var y)) { differences.Add($"{name}: not replayed"); continue; }
            if (x.TranscriptHash != y.TranscriptHash) differences.Add($"{name}: the transcript differs ({x.TranscriptHash[..12]} became {y.TranscriptHash[..12]})");
            if (x.FilesAfter != y.FilesAfter) differences.Add($"{name}: the files it left differ");
            if ((x.Status, x.Gamed, x.Tampered, x.Passed, x.Reward) != (y.Status, y.Gamed, y.Tampered, y.Passed, y.Reward))
                differences.Add($"{name}: graded {Grade(x)}, replayed {Grade(y)}");
        }
        return ReplayOutcome.Of(original, replay, differences, misses, originalFailures);
    }

    private static string Grade(EpisodeRow e) =>
        $"{e.Status}, reward {e.Reward?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, passed {e.Passed?.ToString() ?? "–"}, gamed {e.Gamed}, tampered {e.Tampered}";
}
