using System.Text.Json.Nodes;
using Ouroboros.Runs;
using Ouroboros.Store;

namespace Ouroboros.SelfRewarding;

/// <summary>
/// Whether a replayed self-reward run reproduced the recorded one, model by model of every chain (arm
/// and seed): the model's id (a checkpoint's content hash, so its weights bit for bit), the model it
/// trained, the pairs its iteration kept (each pair's prompt, answers and scores) and discarded, its
/// answers' length and every held-out measure, compared exactly (<see cref="ReplayOutcome"/>).
/// </summary>
public static class SelfRewardReplayComparison
{
    public static JsonObject Compare(IRunStore store, string original, string replay, IReadOnlyList<string> misses, IReadOnlyList<string>? originalFailures)
    {
        var tables = new SelfRewardTables(store);
        var a = tables.Models(original).ToDictionary(m => (m.Arm, m.Seed, m.Iteration));
        var b = tables.Models(replay).ToDictionary(m => (m.Arm, m.Seed, m.Iteration));
        var differences = new List<string>();
        foreach (var key in a.Keys.Union(b.Keys).OrderBy(k => k.Arm, StringComparer.Ordinal).ThenBy(k => k.Seed).ThenBy(k => k.Iteration))
        {
            var name = $"{key.Arm}, seed {key.Seed}, M{key.Iteration}";
            if (!a.TryGetValue(key, out var x)) { differences.Add($"{name}: not in the recorded run"); continue; }
            if (!b.TryGetValue(key, out var y)) { differences.Add($"{name}: not replayed"); continue; }
            if (x.ModelId != y.ModelId) differences.Add($"{name}: the model differs ({Short(x.ModelId)} became {Short(y.ModelId)})");
            if (x.NextModelId != y.NextModelId) differences.Add($"{name}: the model it trained differs ({Short(x.NextModelId)} became {Short(y.NextModelId)})");
            if ((x.Kept, x.Tied, x.TooFew) != (y.Kept, y.Tied, y.TooFew))
                differences.Add($"{name}: pairs kept/tied/too few {x.Kept}/{x.Tied}/{x.TooFew}, replayed {y.Kept}/{y.Tied}/{y.TooFew}");
            else if (!tables.Pairs(original, key.Arm, key.Seed, key.Iteration).SequenceEqual(tables.Pairs(replay, key.Arm, key.Seed, key.Iteration)))
                differences.Add($"{name}: the pairs differ");
            if (x.MeanLength != y.MeanLength) differences.Add($"{name}: mean answer length {x.MeanLength}, replayed {y.MeanLength}");
            if (!x.Metrics.SequenceEqual(y.Metrics))
                differences.Add($"{name}: held-out measures {Show(x.Metrics)}, replayed {Show(y.Metrics)}");
        }
        return ReplayOutcome.Of(original, replay, differences, misses, originalFailures);
    }

    private static string Short(string? id) => id is null ? "none" : id[..Math.Min(12, id.Length)];

    private static string Show(IReadOnlyList<ModelMetric> metrics) =>
        string.Join(", ", metrics.Select(m => $"{m.Name} {m.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}"));
}
