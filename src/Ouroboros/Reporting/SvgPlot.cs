using System.Globalization;
using System.Xml.Linq;
using Ouroboros.Statistics;

namespace Ouroboros.Reporting;

/// <summary>
/// The meta-utility plot of a STOP run, drawn as plain SVG (no plotting library is available): the
/// validation and test meta-utility of each iteration's improver with 95% error bars, filled markers
/// for adopted improvers and hollow ones for rejected, and the best-of-N baseline as dashed lines.
/// </summary>
public static class SvgPlot
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private const double Width = 760, Height = 440, Left = 72, Right = 200, Top = 58, Bottom = 62;
    private const double PlotW = Width - Left - Right, PlotH = Height - Top - Bottom;
    private const string ValColour = "#1f77b4", TestColour = "#d62728";

    /// <summary>The SVG document; throws when the report has no iterations to plot.</summary>
    public static string Render(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Iterations.Count == 0) throw new InvalidOperationException($"run {report.Id} has no iterations to plot.");
        var its = report.Iterations;
        double tMin = its.Min(i => i.T) - 0.5, tMax = its.Max(i => i.T) + 0.5;
        var (yMin, yMax, step) = Scale(Extent(report));
        double X(double t) => Left + (t - tMin) / (tMax - tMin) * PlotW;
        double Y(double u) => Top + (yMax - u) / (yMax - yMin) * PlotH;

        var svg = new XElement(Svg + "svg", new XAttribute("width", Width), new XAttribute("height", Height),
            new XAttribute("viewBox", $"0 0 {Width} {Height}"), new XAttribute("font-family", "sans-serif"), new XAttribute("font-size", 12),
            new XElement(Svg + "rect", Attrs(("width", Width), ("height", Height), ("fill", "white"))),
            Text(Width / 2 - Right / 2 + Left / 2, 24, $"STOP on {report.Task ?? "?"} with {report.Model ?? "?"}: meta-utility per iteration", 15, "middle", "bold"),
            Text(Width / 2 - Right / 2 + Left / 2, 42, $"run {report.Id}; mean over runs with 95% t interval (clipped to 0–1)", 11, "middle"));

        var axes = new XElement(Svg + "g", new XAttribute("class", "axes"));
        // Grid lines first, so the axes are drawn over them.
        for (double u = yMin; u <= yMax + step / 2; u += step)
        {
            axes.AddFirst(Line(Left, Y(u), Left + PlotW, Y(u), "#e5e5e5"));
            axes.Add(Line(Left - 5, Y(u), Left, Y(u), "black"), Text(Left - 8, Y(u) + 4, F(Math.Round(u, 6), "0.###"), 11, "end"));
        }
        axes.Add(Line(Left, Top + PlotH, Left + PlotW, Top + PlotH, "black"), Line(Left, Top, Left, Top + PlotH, "black"));
        foreach (var t in its.Select(i => i.T).Distinct())
            axes.Add(Line(X(t), Top + PlotH, X(t), Top + PlotH + 5, "black"), Text(X(t), Top + PlotH + 19, t.ToString(CultureInfo.InvariantCulture), 11, "middle"));
        axes.Add(Text(Left + PlotW / 2, Height - 18, "iteration t (0 = seed improver)", 12, "middle"));
        axes.Add(new XElement(Svg + "text", Attrs(("x", 18), ("y", Top + PlotH / 2), ("text-anchor", "middle"),
            ("transform", $"rotate(-90 18 {F(Top + PlotH / 2)})")), "meta-utility û"));
        svg.Add(axes);

        if (report.Baseline is { } b)
        {
            if (b.Val is { } bv) svg.Add(Dashed(Left, Left + PlotW, Y(bv.Mean), ValColour, "baseline val"));
            if (b.Test is { } bt) svg.Add(Dashed(Left, Left + PlotW, Y(bt.Mean), TestColour, "baseline test"));
        }
        svg.Add(Series("val", ValColour, -0.07, its.Select(i => (i.T, i.Val, i.Adopted)), X, Y));
        svg.Add(Series("test", TestColour, +0.07, its.Select(i => (i.T, i.Test, i.Adopted)), X, Y));
        svg.Add(Legend(report.Baseline is not null));
        return new XDocument(new XDeclaration("1.0", "utf-8", null), svg).Declaration + "\n" + svg;
    }

    private static XElement Series(string name, string colour, double offset, IEnumerable<(int T, MeanInterval M, bool Adopted)> points,
        Func<double, double> x, Func<double, double> y)
    {
        var list = points.ToList();
        var g = new XElement(Svg + "g", new XAttribute("class", $"series {name}"));
        g.Add(new XElement(Svg + "polyline", Attrs(("fill", "none"), ("stroke", colour), ("stroke-width", 1.5),
            ("points", string.Join(' ', list.Select(p => $"{F(x(p.T + offset))},{F(y(p.M.Mean))}"))))));
        foreach (var p in list)
        {
            double px = x(p.T + offset);
            if (p.M is { HasInterval: true } m)
                g.Add(new XElement(Svg + "g", new XAttribute("class", "error-bar"),
                    Line(px, y(m.High!.Value), px, y(m.Low!.Value), colour),
                    Line(px - 4, y(m.High!.Value), px + 4, y(m.High!.Value), colour),
                    Line(px - 4, y(m.Low!.Value), px + 4, y(m.Low!.Value), colour)));
            g.Add(new XElement(Svg + "circle", Attrs(("class", p.Adopted ? "point adopted" : "point rejected"),
                    ("cx", px), ("cy", y(p.M.Mean)), ("r", 4.5), ("stroke", colour), ("stroke-width", 1.5), ("fill", p.Adopted ? colour : "white")),
                new XElement(Svg + "title", $"t={p.T} {name} {p.M}{(p.Adopted ? " adopted" : " rejected")}")));
        }
        return g;
    }

    private static XElement Legend(bool baseline)
    {
        double x = Left + PlotW + 20, y = Top + 10;
        var g = new XElement(Svg + "g", new XAttribute("class", "legend"));
        void Entry(XElement mark, string label) { g.Add(mark, Text(x + 26, y + 4, label, 12)); y += 22; }
        Entry(Line(x, y, x + 18, y, ValColour, 2), "validation (selects)");
        Entry(Line(x, y, x + 18, y, TestColour, 2), "test (reported only)");
        Entry(new XElement(Svg + "circle", Attrs(("cx", x + 9), ("cy", y), ("r", 4.5), ("fill", "#555"), ("stroke", "#555"))), "adopted");
        Entry(new XElement(Svg + "circle", Attrs(("cx", x + 9), ("cy", y), ("r", 4.5), ("fill", "white"), ("stroke", "#555"))), "rejected");
        Entry(Line(x + 9, y - 7, x + 9, y + 7, "#555"), "95% interval");
        if (baseline) Entry(Dashed(x, x + 18, y, "#555", "legend"), "best-of-N baseline");
        return g;
    }

    /// <summary>Every value the plot must show: means, interval ends and baselines.</summary>
    private static IEnumerable<double> Extent(RunReport r)
    {
        var means = r.Iterations.SelectMany(i => new[] { i.Val, i.Test });
        if (r.Baseline is { } b) means = means.Concat(new[] { b.Val, b.Test }.OfType<MeanInterval>());
        foreach (var m in means)
        {
            yield return m.Mean;
            if (m.Low is { } low) yield return low;
            if (m.High is { } high) yield return high;
        }
    }

    /// <summary>A y range on round ticks (1, 2 or 5 × 10^k), about five of them, covering every value.</summary>
    internal static (double Min, double Max, double Step) Scale(IEnumerable<double> values)
    {
        var list = values.Where(double.IsFinite).ToList();
        double lo = list.Count > 0 ? list.Min() : 0, hi = list.Count > 0 ? list.Max() : 1;
        if (hi - lo < 1e-9) { lo -= 0.05; hi += 0.05; }
        double raw = (hi - lo) / 5, magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1.0, 2.0, 5.0, 10.0 }.Select(s => s * magnitude).First(s => s >= raw * (1 - 1e-9)); // tolerate float noise: 0.1 / 5 is 0.020000000000000004
        return (Math.Floor(lo / step) * step, Math.Ceiling(hi / step) * step, step);
    }

    private static XElement Line(double x1, double y1, double x2, double y2, string colour, double width = 1) =>
        new(Svg + "line", Attrs(("x1", x1), ("y1", y1), ("x2", x2), ("y2", y2), ("stroke", colour), ("stroke-width", width)));

    private static XElement Dashed(double x1, double x2, double y, string colour, string cls) =>
        new(Svg + "line", Attrs(("class", $"baseline {cls}"), ("x1", x1), ("y1", y), ("x2", x2), ("y2", y), ("stroke", colour), ("stroke-dasharray", "6 4")));

    private static XElement Text(double x, double y, string text, double size, string anchor = "start", string weight = "normal") =>
        new(Svg + "text", Attrs(("x", x), ("y", y), ("font-size", size), ("text-anchor", anchor), ("font-weight", weight)), text);

    private static object[] Attrs(params (string Name, object Value)[] attrs) =>
        attrs.Select(a => (object)new XAttribute(a.Name, a.Value is double d ? F(d) : a.Value)).ToArray();

    private static string F(double d, string format = "0.##") => d.ToString(format, CultureInfo.InvariantCulture);
}
