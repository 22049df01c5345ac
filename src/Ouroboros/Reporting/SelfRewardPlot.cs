using System.Text.Json.Nodes;
using System.Xml.Linq;
using static Ouroboros.Reporting.SvgPlot;

namespace Ouroboros.Reporting;

/// <summary>
/// The plot of a self-reward run, plain SVG like <see cref="SvgPlot"/>: per arm, a line through its
/// models' medians over seeds (M1, M2, ...) with bootstrap 95% bars, for one measure — the first
/// held-out metric, or the answers' mean length when the setup evaluates nothing (a user's model).
/// Drawn from the section's JSON, so it shows exactly what the report's tables say.
/// </summary>
public static class SelfRewardPlot
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private const double Width = 760, Left = 72, Right = 150, Top = 60, PlotH = 280, Bottom = 56;
    private const double PlotW = Width - Left - Right;
    private static readonly string[] Colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"];

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
        var (yMin, yMax, step) = SvgPlot.Scale(points.SelectMany(p => p.Ci is { } c ? new[] { p.Median, c.Item1, c.Item2 } : [p.Median]));
        double X(double t) => Left + (t - 0.5) / tMax * PlotW;
        double Y(double v) => Top + (yMax - v) / (yMax - yMin) * PlotH;
        double height = Top + PlotH + Bottom;
        var svg = new XElement(Svg + "svg", Attrs(("width", Width), ("height", height), ("viewBox", $"0 0 {F(Width)} {F(height)}"), ("font-family", "sans-serif"), ("font-size", 12)),
            new XElement(Svg + "rect", Attrs(("width", Width), ("height", height), ("fill", "white"))),
            Text(Width / 2, 24, $"Self-Rewarding: {measure} per model (run {runId})", 15, "middle", "bold"),
            Text(Width / 2, 42, "median over seeds with percentile bootstrap 95% interval", 11, "middle"));
        var axes = new XElement(Svg + "g", new XAttribute("class", "axes"));
        for (double v = yMin; v <= yMax + step / 2; v += step)
            axes.Add(Line(Left, Y(v), Left + PlotW, Y(v), "#e5e5e5"), Text(Left - 8, Y(v) + 4, F(Math.Round(v, 6), "0.###"), 11, "end"));
        axes.Add(Line(Left, Top + PlotH, Left + PlotW, Top + PlotH, "black"), Line(Left, Top, Left, Top + PlotH, "black"));
        for (int t = 1; t <= tMax; t++) axes.Add(Text(X(t), Top + PlotH + 18, $"M{t}", 11, "middle"));
        axes.Add(Text(Left + PlotW / 2, height - 14, "model (M1 = seed model; M_t+1 trained on AIFT(M_t))", 12, "middle"));
        svg.Add(axes);
        var arms = points.Select(p => p.Arm).Distinct().ToList();
        foreach (var (arm, k) in arms.Select((a, k) => (a, k)))
        {
            string colour = Colours[k % Colours.Length];
            double offset = (k - (arms.Count - 1) / 2.0) * 0.04;
            var mine = points.Where(p => p.Arm == arm).OrderBy(p => p.T).ToList();
            var g = new XElement(Svg + "g", new XAttribute("class", $"series {arm}"),
                new XElement(Svg + "polyline", Attrs(("fill", "none"), ("stroke", colour), ("stroke-width", 1.5),
                    ("points", string.Join(' ', mine.Select(p => $"{F(X(p.T + offset))},{F(Y(p.Median))}"))))));
            foreach (var p in mine)
            {
                double px = X(p.T + offset);
                if (p.Ci is { } c)
                    g.Add(new XElement(Svg + "g", new XAttribute("class", "error-bar"), Line(px, Y(c.Item2), px, Y(c.Item1), colour),
                        Line(px - 4, Y(c.Item2), px + 4, Y(c.Item2), colour), Line(px - 4, Y(c.Item1), px + 4, Y(c.Item1), colour)));
                g.Add(new XElement(Svg + "circle", Attrs(("class", "point"), ("cx", px), ("cy", Y(p.Median)), ("r", 4), ("fill", colour)),
                    new XElement(Svg + "title", $"{arm} M{p.T}: {measure} {F(p.Median, "0.###")}")));
            }
            svg.Add(g);
            svg.Add(Line(Left + PlotW + 20, Top + 10 + k * 18, Left + PlotW + 38, Top + 10 + k * 18, colour, 2), Text(Left + PlotW + 44, Top + 14 + k * 18, arm, 12));
        }
        return new XDeclaration("1.0", "utf-8", null) + "\n" + svg;
    }
}
