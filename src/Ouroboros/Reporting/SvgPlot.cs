using Ouroboros.Runs;
using System.Globalization;
using System.Xml.Linq;
using Ouroboros.Statistics;

namespace Ouroboros.Reporting;

/// <summary>
/// The meta-utility plot of a STOP run, drawn as plain SVG (no plotting library is available). The
/// verdict heads it, then the best-of-N reading, labelled. Per split (validation selects, test is only
/// reported): a line that follows the current improver — it moves only when a candidate is adopted,
/// so a rejected candidate is never drawn as the improver getting worse — with filled markers where a
/// candidate was adopted and hollow ones, at their own score, for rejected candidates; 95% error bars
/// on both. The baseline is a dashed line at the verdict's reading (mean per baseline run), u(s) a
/// dotted one.
/// </summary>
public static class SvgPlot
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private const double Width = 860, Left = 72, Right = 250, Bottom = 62, PlotH = 300;
    private const double PlotW = Width - Left - Right;
    private const string ValColour = "#1f77b4", TestColour = "#d62728";

    /// <summary>The SVG document; throws when the report has no iterations to plot.</summary>
    public static string Render(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Iterations.Count == 0) throw new InvalidOperationException($"run {report.Id} has no iterations to plot.");
        var its = report.Iterations;
        var header = Header(report, out double top);
        double height = top + PlotH + Bottom;
        double tMin = its.Min(i => i.T) - 0.5, tMax = its.Max(i => i.T) + 0.5;
        var (yMin, yMax, step) = Scale(Extent(report));
        double X(double t) => Left + (t - tMin) / (tMax - tMin) * PlotW;
        double Y(double u) => top + (yMax - u) / (yMax - yMin) * PlotH;

        var svg = new XElement(Svg + "svg", new XAttribute("width", Width), new XAttribute("height", F(height)),
            new XAttribute("viewBox", $"0 0 {Width} {F(height)}"), new XAttribute("font-family", "sans-serif"), new XAttribute("font-size", 12),
            new XElement(Svg + "rect", Attrs(("width", Width), ("height", height), ("fill", "white"))), header);

        var axes = new XElement(Svg + "g", new XAttribute("class", "axes"));
        // Grid lines first, so the axes are drawn over them.
        for (double u = yMin; u <= yMax + step / 2; u += step)
        {
            axes.AddFirst(Line(Left, Y(u), Left + PlotW, Y(u), "#e5e5e5"));
            var label = Text(Left - 8, Y(u) + 4, F(Math.Round(u, 6), "0.###"), 11, "end");
            label.SetAttributeValue("class", "tick");
            label.SetAttributeValue("data-y", F(Y(u), "0.####"));
            axes.Add(Line(Left - 5, Y(u), Left, Y(u), "black"), label);
        }
        axes.Add(Line(Left, top + PlotH, Left + PlotW, top + PlotH, "black"), Line(Left, top, Left, top + PlotH, "black"));
        foreach (var t in its.Select(i => i.T).Distinct())
            axes.Add(Line(X(t), top + PlotH, X(t), top + PlotH + 5, "black"), Text(X(t), top + PlotH + 19, t.ToString(CultureInfo.InvariantCulture), 11, "middle"));
        axes.Add(Text(Left + PlotW / 2, height - 18, "iteration t (0 = seed improver)", 12, "middle"));
        axes.Add(new XElement(Svg + "text", Attrs(("x", 18), ("y", top + PlotH / 2), ("text-anchor", "middle"),
            ("transform", $"rotate(-90 18 {F(top + PlotH / 2)})")), "meta-utility û"));
        svg.Add(axes);

        var (usVal, usTest) = report.Us;
        var references = new XElement(Svg + "g", new XAttribute("class", "references"));
        if (usVal is { } uv) references.Add(Reference("us val", Left, Left + PlotW, Y(uv), uv, ValColour, "2 3"));
        if (usTest is { } ut) references.Add(Reference("us test", Left, Left + PlotW, Y(ut), ut, TestColour, "2 3"));
        if (report.Baseline is { } b)
        {
            if (b.Val is { } bv) references.Add(Reference("baseline val", Left, Left + PlotW, Y(bv.Mean), bv.Mean, ValColour, "6 4"));
            if (b.Test is { } bt) references.Add(Reference("baseline test", Left, Left + PlotW, Y(bt.Mean), bt.Mean, TestColour, "6 4"));
        }
        svg.Add(references);
        svg.Add(Series("val", ValColour, -0.07, its.Select(i => (i.T, i.Val, i.Adopted)), X, Y));
        svg.Add(Series("test", TestColour, +0.07, its.Select(i => (i.T, i.Test, i.Adopted)), X, Y));
        svg.Add(Legend(report, top));
        return new XDocument(new XDeclaration("1.0", "utf-8", null), svg).Declaration + "\n" + svg;
    }

    /// <summary>Title, the verdict and the best-of-N reading (wrapped), and what the error bars are; <paramref name="top"/> is where the plot area starts.</summary>
    private static XElement Header(RunReport report, out double top)
    {
        var g = new XElement(Svg + "g", new XAttribute("class", "header"));
        double y = 24;
        g.Add(Text(Width / 2, y, $"STOP on {report.Task ?? "?"} with {report.Model ?? "?"}: meta-utility per iteration", 15, "middle", "bold"));
        y += 6;
        if (report.Verdict is { } v)
        {
            string colour = v.Outcome switch { Verdict.Beat => "#1a7f37", Verdict.Below => "#b42318", _ => "#333333" };
            foreach (var line in Wrap(v.Line, 118))
            {
                y += 16;
                var text = Text(Width / 2, y, line, 12.5, "middle", "bold");
                text.SetAttributeValue("class", "verdict");
                text.SetAttributeValue("fill", colour);
                g.Add(text);
            }
            foreach (var line in v.BestOfNLine is { } best ? Wrap(best, 128) : [])
            {
                y += 15;
                var text = Text(Width / 2, y, line, 11.5, "middle");
                text.SetAttributeValue("class", "best-of-n");
                text.SetAttributeValue("fill", "#444444");
                g.Add(text);
            }
        }
        y += 17;
        g.Add(Text(Width / 2, y, $"run {report.Id}; mean over runs with 95% t interval (clipped to 0–1)", 11, "middle"));
        top = y + 22;
        return g;
    }

    /// <summary>
    /// One split's points. The line follows the current improver: at a rejected t it stays at the
    /// improver that was kept. Adopted candidates are filled markers on the line; rejected ones hollow,
    /// at their own score, off the line unless they scored the same.
    /// </summary>
    private static XElement Series(string name, string colour, double offset, IEnumerable<(int T, MeanInterval M, bool Adopted)> points,
        Func<double, double> x, Func<double, double> y)
    {
        var list = points.ToList();
        var g = new XElement(Svg + "g", new XAttribute("class", $"series {name}"));
        var current = new List<(int T, double Mean)>();
        double? kept = null;
        foreach (var p in list)
        {
            if (p.Adopted || kept is null) kept = p.M.Mean;
            current.Add((p.T, kept.Value));
        }
        g.Add(new XElement(Svg + "polyline", Attrs(("class", "current"), ("fill", "none"), ("stroke", colour), ("stroke-width", 1.5),
            ("points", string.Join(' ', current.Select(p => $"{F(x(p.T + offset))},{F(y(p.Mean))}"))))));
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
                new XElement(Svg + "title", $"t={p.T} {name} {p.M}{(p.Adopted ? " adopted" : " rejected candidate: the improver was kept")}")));
        }
        return g;
    }

    private static XElement Legend(RunReport report, double top)
    {
        double x = Left + PlotW + 20, y = top + 10;
        var g = new XElement(Svg + "g", new XAttribute("class", "legend"));
        void Entry(XElement? mark, params string[] lines)
        {
            if (mark is not null) g.Add(mark);
            foreach (var (line, i) in lines.Select((l, i) => (l, i)))
                g.Add(Text(x + 26, y + 4 + i * 14, line, i == 0 ? 12 : 11));
            y += 8 + 14 * lines.Length;
        }
        Entry(Line(x, y, x + 18, y, ValColour, 2), "validation (selects)");
        Entry(Line(x, y, x + 18, y, TestColour, 2), "test (reported only)");
        Entry(new XElement(Svg + "g", Line(x, y, x + 18, y, "#555", 1.5),
                new XElement(Svg + "circle", Attrs(("cx", x + 9), ("cy", y), ("r", 4.5), ("fill", "#555"), ("stroke", "#555")))),
            "current improver", "(filled: adopted at t)");
        Entry(new XElement(Svg + "circle", Attrs(("cx", x + 9), ("cy", y), ("r", 4.5), ("fill", "white"), ("stroke", "#555"), ("stroke-width", 1.5))),
            "rejected candidate", "(not adopted; the line stays)");
        Entry(Line(x + 9, y - 7, x + 9, y + 7, "#555"), "95% interval");
        if (report.Baseline is { } b)
            Entry(Dashed(x, x + 18, y, "#555", "6 4"), "baseline: mean per run", $"of {b.Runs} seed-improver runs", "(the verdict's reading)",
                $"val {ReportFormat.Number(b.Val?.Mean)}, test {ReportFormat.Number(b.Test?.Mean)}");
        var (usVal, usTest) = report.Us;
        if (usVal is not null || usTest is not null)
            Entry(Dashed(x, x + 18, y, "#555", "2 3"), "u(s): the seed solution", $"val {ReportFormat.Number(usVal)}, test {(usTest is null ? "not scored" : ReportFormat.Number(usTest))}");
        return g;
    }

    /// <summary>Every value the plot must show: means, interval ends, the baseline's means and u(s).</summary>
    private static IEnumerable<double> Extent(RunReport r)
    {
        var means = r.Iterations.SelectMany(i => new[] { i.Val, i.Test });
        if (r.Baseline is { } b) means = means.Concat(new[] { b.Val, b.Test }.OfType<MeanInterval>().Select(m => m with { Low = null, High = null }));
        foreach (var m in means)
        {
            yield return m.Mean;
            if (m.Low is { } low) yield return low;
            if (m.High is { } high) yield return high;
        }
        if (r.Us.Val is { } usVal) yield return usVal;
        if (r.Us.Test is { } usTest) yield return usTest;
    }

    /// <summary>Splits <paramref name="text"/> at spaces into lines of at most <paramref name="width"/> characters (a longer word gets a line of its own).</summary>
    internal static IReadOnlyList<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        var line = new System.Text.StringBuilder();
        foreach (var word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width) { lines.Add(line.ToString()); line.Clear(); }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        if (line.Length > 0) lines.Add(line.ToString());
        return lines;
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

    internal static XElement Line(double x1, double y1, double x2, double y2, string colour, double width = 1) =>
        new(Svg + "line", Attrs(("x1", x1), ("y1", y1), ("x2", x2), ("y2", y2), ("stroke", colour), ("stroke-width", width)));

    private static XElement Dashed(double x1, double x2, double y, string colour, string dashes) =>
        new(Svg + "line", Attrs(("x1", x1), ("y1", y), ("x2", x2), ("y2", y), ("stroke", colour), ("stroke-width", 1.5), ("stroke-dasharray", dashes)));

    /// <summary>A horizontal reference line across the plot, carrying the value it stands for.</summary>
    private static XElement Reference(string cls, double x1, double x2, double y, double value, string colour, string dashes)
    {
        var line = Dashed(x1, x2, y, colour, dashes);
        line.SetAttributeValue("class", cls);
        line.SetAttributeValue("data-value", value.ToString("0.######", CultureInfo.InvariantCulture));
        return line;
    }

    internal static XElement Text(double x, double y, string text, double size, string anchor = "start", string weight = "normal") =>
        new(Svg + "text", Attrs(("x", x), ("y", y), ("font-size", size), ("text-anchor", anchor), ("font-weight", weight)), text);

    internal static object[] Attrs(params (string Name, object Value)[] attrs) =>
        attrs.Select(a => (object)new XAttribute(a.Name, a.Value is double d ? F(d) : a.Value)).ToArray();

    internal static string F(double d, string format = "0.##") => d.ToString(format, CultureInfo.InvariantCulture);
}
