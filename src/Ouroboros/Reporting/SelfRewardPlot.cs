using System.Text.Json.Nodes;

namespace Ouroboros.Reporting;

/// <summary>
/// The plot of a self-reward run, plain SVG like <see cref="SvgPlot"/>: per arm, a line through its
/// models' medians over seeds (M1, M2, ...) with bootstrap 95% bars, for one measure — the first
/// held-out metric, or the answers' mean length when the setup evaluates nothing (a user's model).
/// Drawn from the section's JSON, so it shows exactly what the report's tables say.
/// </summary>
public static class SelfRewardPlot
{
    /// <summary>The measure plotted: the first metric other than length, else length; null when there is nothing to plot.</summary>
    public static string? Measure(JsonNode section)
    {
        var names = (section["models"] as JsonArray ?? []).SelectMany(m => (m?["measures"] as JsonObject ?? []).Select(kv => kv.Key)).Distinct().ToList();
        return names.Where(n => n != "length").Order(StringComparer.Ordinal).FirstOrDefault() ?? names.FirstOrDefault();
    }

    public static string Render(JsonNode section, string runId)
    {
        var measure = Measure(section) ?? throw new InvalidOperationException($"run {runId} has no measured model to plot");
        var points = (section["models"] as JsonArray ?? [])
            .Where(m => m?["measures"]?[measure] is not null)
            .Select(m => (Arm: (string)m!["arm"]!, T: (int)m["iteration"]!, Median: (double)m["measures"]![measure]!["median"]!,
                Ci: m["measures"]![measure]!["ci95"] is JsonArray ci ? ((double)ci[0]!, (double)ci[1]!) : ((double, double)?)null))
            .ToList();
        int tMax = points.Max(p => p.T);
        var series = points.Select(p => p.Arm).Distinct()
            .Select(arm => new PlotSeries(arm, points.Where(p => p.Arm == arm).OrderBy(p => p.T)
                .Select(p => new PlotPoint(p.T - 1, p.Median, p.Ci?.Item1, p.Ci?.Item2)).ToList())).ToList();
        return IntervalPlot.Render($"Self-Rewarding: {measure} per model (run {runId})", "median over seeds with percentile bootstrap 95% interval",
            "model (M1 = seed model; M_t+1 trained on AIFT(M_t))", Enumerable.Range(1, tMax).Select(t => $"M{t}").ToList(), series);
    }
}
