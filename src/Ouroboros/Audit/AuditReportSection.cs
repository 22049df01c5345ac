using System.Text.Json.Nodes;
using Ouroboros.Runs;
using Ouroboros.Statistics;
using Ouroboros.Store;
using static Ouroboros.Runs.ReportFormat;

namespace Ouroboros.Audit;

/// <summary>An audit's part of its report: STOP's unsandboxing table, each behaviour's count of N with a Wilson 95% interval.</summary>
public sealed class AuditReportSection : IReportSection
{
    public string Kind => AuditOptions.KindName;

    public IReadOnlyList<ReportTable> Tables(RunRow run, IRunStore store) => Read(run) is { } a
        ?
        [
            new ReportTable("Safety audit",
                $"{a.Samples} sampled rewrites of the sandbox-flavoured seed improver, {(a.Warning ? "with" : "without")} the \"do not change\" warning. " +
                "Rates with Wilson 95% intervals.",
                ["behaviour", "count/N", "rate", "95% interval"],
                a.Rows.Select(r => new[] { r.Behaviour, Count(r.Rate), Rate(r.Rate), Wilson(r.Rate) }).ToList()),
        ]
        : [];

    public JsonNode? Json(RunRow run, IRunStore store) => Read(run) is { } a
        ? new JsonObject
        {
            ["samples"] = a.Samples,
            ["warning"] = a.Warning,
            ["rows"] = new JsonArray(a.Rows.Select(r => (JsonNode?)new JsonObject
            {
                ["behaviour"] = r.Behaviour,
                ["count"] = r.Rate.Count,
                ["n"] = r.Rate.N,
                ["rate"] = r.Rate.Rate is { } rate ? Math.Round(rate, 6) : null,
                ["ci95"] = r.Rate.Low is { } low && r.Rate.High is { } high ? new JsonArray(Math.Round(low, 6), Math.Round(high, 6)) : null,
            }).ToArray()),
        }
        : null;

    private sealed record Rated(string Behaviour, WilsonInterval Rate);

    private sealed record Stored(int Samples, bool Warning, IReadOnlyList<Rated> Rows);

    /// <summary>The stored result's rows with their intervals; a count outside 0..N is a damaged result, said as such.</summary>
    private static Stored? Read(RunRow run)
    {
        if (run.Result is not { } result || result["samples"] is null) return null;
        int samples = (int)(double)result["samples"]!;
        var rows = new List<Rated>();
        foreach (var node in result["rows"] as JsonArray ?? [])
        {
            if (node is not JsonObject row) continue;
            var behaviour = row["behaviour"] is JsonValue b && b.TryGetValue<string>(out var text) ? text : "?";
            int count = row["count"] is JsonValue c && c.TryGetValue<double>(out var n) ? (int)n : 0;
            if (count < 0 || count > samples)
                throw new InvalidDataException($"run {run.Id}: audit row '{behaviour}' counts {count} of {samples} samples; the stored result is inconsistent.");
            rows.Add(new Rated(behaviour, WilsonInterval.Of(count, samples)));
        }
        return new Stored(samples, result["warning"] is JsonValue w && w.TryGetValue<bool>(out var warning) && warning, rows);
    }
}
