using System.Globalization;
using System.Text.Json.Nodes;
using Ouroboros.Runs;
using Ouroboros.Statistics;
using Ouroboros.Store;

namespace Ouroboros.SelfRewarding;

/// <summary>
/// A self-reward run's part of its report: per arm and model (M1, M2, ...), over the seeds that
/// finished it, the pairs its iteration kept and discarded, its candidates' mean length and each
/// held-out metric, as the median over seeds with a percentile bootstrap 95% interval; and, when the
/// run has the self and sft arms, M2 − SFT per measure, paired by seed.
/// </summary>
public sealed class SelfRewardReportSection : IReportSection
{
    public const string Length = "length";
    public const string IntervalNote = "median over seeds, percentile bootstrap 95% (2000 resamples, seeded)";

    public string Kind => SelfRewardOptions.KindName;

    /// <summary>One model of one arm, summarised over seeds.</summary>
    public sealed record ModelSummary(string Arm, int Iteration, int Seeds, int Kept, int Tied, int TooFew, bool Trained, IReadOnlyDictionary<string, BootstrapInterval> Measures);

    /// <summary>M2 − SFT for one measure, over the seeds that have both.</summary>
    public sealed record Difference(string Contrast, string Measure, BootstrapInterval Interval);

    /// <summary>
    /// The contrasts the paper's claims and the demonstration's controls are read from: the loop's M2
    /// against the SFT baseline and against its own M1, and the controls' M2 against the SFT baseline
    /// (the shuffled judge must show no gain; the oracle is the upper bound).
    /// </summary>
    private static readonly (string Name, string Arm, int Iteration, string BaseArm, int BaseIteration)[] Contrasts =
    [
        ("M2 − SFT", SelfRewardOptions.Self, 2, SelfRewardOptions.Sft, 1),
        ("M2 − M1", SelfRewardOptions.Self, 2, SelfRewardOptions.Self, 1),
        ("M3 − SFT", SelfRewardOptions.Self, 3, SelfRewardOptions.Sft, 1),
        ("shuffled M2 − SFT", SelfRewardOptions.Shuffled, 2, SelfRewardOptions.Sft, 1),
        ("oracle M2 − SFT", SelfRewardOptions.Oracle, 2, SelfRewardOptions.Sft, 1),
        ("no-eft M2 − SFT", SelfRewardOptions.NoEft, 2, SelfRewardOptions.Sft, 1),
    ];

    public IReadOnlyList<ReportTable> Tables(RunRow run, IRunStore store)
    {
        var rows = new SelfRewardTables(store).Models(run.Id).Where(m => m.Finished).ToList();
        if (rows.Count == 0) return [];
        var models = Summaries(rows);
        var measures = models.SelectMany(m => m.Measures.Keys).Distinct().OrderBy(k => k == Length ? 0 : 1).ThenBy(k => k, StringComparer.Ordinal).ToList();
        var table = models.Select(m => new[]
        {
            m.Arm, $"M{m.Iteration}", $"{m.Seeds}", m.Trained ? $"{m.Kept}" : "–", m.Trained ? $"{m.Tied}" : "–", m.Trained ? $"{m.TooFew}" : "–",
        }.Concat(measures.Select(k => m.Measures.TryGetValue(k, out var i) ? Cell(i) : "–")).ToArray()).ToList();
        var tables = new List<ReportTable>
        {
            new("Self-Rewarding", $"{Setup(run)}Per arm and model: seeds that finished it; the pairs its iteration built (summed over seeds; tied: all scores equal, " +
                $"too few: fewer than two candidates scored), then each measure as the {IntervalNote}, with n seeds. length: characters of the model's answers.",
                ["arm", "model", "seeds", "pairs kept", "tied", "too few", .. measures], table),
        };
        if (Differences(rows) is { Count: > 0 } differences)
            tables.Add(new ReportTable("Differences", "Each contrast paired by seed (sft: the SFT baseline's M1; M2, M3: the arm's models): the median of the differences with its " +
                "percentile bootstrap 95% interval; an interval that excludes 0 is a difference the seeds agree on.",
                ["contrast", "measure", "median difference", "n"], differences.Select(d => new[] { d.Contrast, d.Measure, Cell(d.Interval), $"{d.Interval.N}" }).ToList()));
        return tables;
    }

    public JsonNode? Json(RunRow run, IRunStore store)
    {
        var rows = new SelfRewardTables(store).Models(run.Id).Where(m => m.Finished).ToList();
        if (rows.Count == 0) return null;
        return new JsonObject
        {
            ["setup"] = (string?)run.Result?["setup"],
            ["interval"] = IntervalNote,
            ["models"] = new JsonArray(Summaries(rows).Select(m => (JsonNode?)new JsonObject
            {
                ["arm"] = m.Arm, ["iteration"] = m.Iteration, ["model"] = $"M{m.Iteration}", ["seeds"] = m.Seeds,
                ["pairsKept"] = m.Trained ? m.Kept : null, ["pairsTied"] = m.Trained ? m.Tied : null, ["tooFewScores"] = m.Trained ? m.TooFew : null,
                ["measures"] = new JsonObject(m.Measures.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)Json(kv.Value)))),
            }).ToArray()),
            ["differences"] = new JsonArray(Differences(rows).Select(d => (JsonNode?)new JsonObject
            {
                ["measure"] = d.Measure, ["contrast"] = d.Contrast, ["median"] = d.Interval.Estimate,
                ["ci95"] = d.Interval.HasInterval ? new JsonArray(d.Interval.Low, d.Interval.High) : null, ["n"] = d.Interval.N,
            }).ToArray()),
            ["chains"] = new JsonArray(rows.Select(r => (JsonNode?)new JsonObject
            {
                ["arm"] = r.Arm, ["seed"] = r.Seed, ["iteration"] = r.Iteration, ["model"] = r.ModelId, ["next"] = r.NextModelId,
                ["pairsKept"] = r.Kept, ["pairsTied"] = r.Tied, ["tooFewScores"] = r.TooFew, ["meanLength"] = r.MeanLength,
                ["metrics"] = new JsonObject(r.Metrics.Select(m => KeyValuePair.Create(m.Name, (JsonNode?)new JsonObject { ["value"] = m.Value, ["n"] = m.N }))),
            }).ToArray()),
        };
    }

    /// <summary>The figure: per arm, the median of the first held-out measure per model, with its interval.</summary>
    public IReadOnlyList<(string File, string Svg)> Plots(RunRow run, IRunStore store) =>
        Json(run, store) is { } section && Reporting.SelfRewardPlot.Measure(section) is not null
            ? [("self-reward.svg", Reporting.SelfRewardPlot.Render(section, run.Id))]
            : [];

    /// <summary>Per arm (in the run's order) and model, the seeds' rows summarised.</summary>
    public static IReadOnlyList<ModelSummary> Summaries(IReadOnlyList<ModelRow> rows) => rows
        .GroupBy(r => (r.Arm, r.Iteration))
        .OrderBy(g => Array.IndexOf([.. SelfRewardOptions.KnownArms], g.Key.Arm)).ThenBy(g => g.Key.Iteration)
        .Select(g =>
        {
            var list = g.OrderBy(r => r.Seed).ToList();
            return new ModelSummary(g.Key.Arm, g.Key.Iteration, list.Count, list.Sum(r => r.Kept ?? 0), list.Sum(r => r.Tied ?? 0), list.Sum(r => r.TooFew ?? 0),
                list.Any(r => r.Kept is not null), Measures(list).ToDictionary(m => m.Key, m => BootstrapInterval.Median(m.Value)));
        }).ToList();

    /// <summary>Each of <see cref="Contrasts"/> the run has both sides of, per measure, over the seeds that have both.</summary>
    public static IReadOnlyList<Difference> Differences(IReadOnlyList<ModelRow> rows)
    {
        var differences = new List<Difference>();
        foreach (var (contrast, arm, iteration, baseArm, baseIteration) in Contrasts)
        {
            var a = rows.Where(r => r.Arm == arm && r.Iteration == iteration).ToDictionary(r => r.Seed);
            var b = rows.Where(r => r.Arm == baseArm && r.Iteration == baseIteration).ToDictionary(r => r.Seed);
            var seeds = a.Keys.Intersect(b.Keys).Order().ToList();
            foreach (var name in seeds.SelectMany(s => Measures([a[s], b[s]]).Keys).Distinct().Order(StringComparer.Ordinal))
            {
                // Paired seed by seed: a seed missing the measure on either side is left out of both.
                var pairs = seeds.Select(s => (A: Value(a[s], name), B: Value(b[s], name))).Where(p => p.A is not null && p.B is not null).ToList();
                if (pairs.Count > 0)
                    differences.Add(new Difference(contrast, name, BootstrapInterval.PairedMedianDifference(pairs.Select(p => p.A!.Value).ToList(), pairs.Select(p => p.B!.Value).ToList())));
            }
        }
        return differences;
    }

    private static double? Value(ModelRow row, string measure) =>
        measure == Length ? row.MeanLength : row.Metrics.FirstOrDefault(m => m.Name == measure)?.Value;

    /// <summary>Each measure's values, one per row that has it: the mean length and every metric.</summary>
    private static Dictionary<string, List<double>> Measures(IReadOnlyList<ModelRow> rows)
    {
        var measures = new Dictionary<string, List<double>>();
        void Add(string name, double value) => (measures.TryGetValue(name, out var list) ? list : measures[name] = []).Add(value);
        foreach (var r in rows)
        {
            if (r.MeanLength is { } length) Add(Length, length);
            foreach (var m in r.Metrics) Add(m.Name, m.Value);
        }
        return measures;
    }

    private static string Setup(RunRow run) => run.Result?["setup"] is JsonValue v ? $"Setup: {v}. " : "";

    private static JsonObject Json(BootstrapInterval i) => new()
    {
        ["median"] = i.Estimate, ["ci95"] = i.HasInterval ? new JsonArray(i.Low, i.High) : null, ["n"] = i.N,
    };

    private static string Cell(BootstrapInterval i) => i.HasInterval
        ? $"{N(i.Estimate)} [{N(i.Low!.Value)}, {N(i.High!.Value)}] n={i.N}"
        : $"{N(i.Estimate)} n={i.N}";

    private static string N(double x) => x.ToString(Math.Abs(x) >= 100 ? "0.#" : "0.###", CultureInfo.InvariantCulture);
}
