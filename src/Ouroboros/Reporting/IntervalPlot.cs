using System.Xml.Linq;
using static Ouroboros.Reporting.SvgPlot;

namespace Ouroboros.Reporting;

/// <summary>One line of an <see cref="IntervalPlot"/>: its name (the legend) and its points.</summary>
public sealed record PlotSeries(string Name, IReadOnlyList<PlotPoint> Points);

/// <summary>A point at category <see cref="X"/> (an index into the plot's ticks), with its interval when it has one.</summary>
public sealed record PlotPoint(int X, double Y, double? Low, double? High);

/// <summary>
/// Plain SVG, like <see cref="SvgPlot"/>: lines over categorical x positions (models M1, M2, …; student
/// sizes), each point with its interval bar, series side by side at each position so bars never hide
/// each other. The experiments' report sections draw their figures with it.
/// </summary>
public static class IntervalPlot
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private const double Width = 760, Left = 72, Right = 170, Top = 60, PlotH = 280, Bottom = 56;
    private const double PlotW = Width - Left - Right;
    private static readonly string[] Colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf"];

    public static string Render(string title, string subtitle, string xLabel, IReadOnlyList<string> ticks, IReadOnlyList<PlotSeries> series)
    {
        var all = series.SelectMany(s => s.Points).ToList();
        if (all.Count == 0 || ticks.Count == 0) throw new ArgumentException("a plot needs at least one point and one tick");
        var (yMin, yMax, step) = Scale(all.SelectMany(p => p.Low is { } l && p.High is { } h ? new[] { p.Y, l, h } : [p.Y]));
        double X(double i) => Left + (i + 0.5) / ticks.Count * PlotW;
        double Y(double v) => Top + (yMax - v) / (yMax - yMin) * PlotH;
        double height = Top + PlotH + Bottom;
        var svg = new XElement(Svg + "svg", Attrs(("width", Width), ("height", height), ("viewBox", $"0 0 {F(Width)} {F(height)}"), ("font-family", "sans-serif"), ("font-size", 12)),
            new XElement(Svg + "rect", Attrs(("width", Width), ("height", height), ("fill", "white"))),
            Text(Width / 2, 24, title, 15, "middle", "bold"),
            Text(Width / 2, 42, subtitle, 11, "middle"));
        var axes = new XElement(Svg + "g", new XAttribute("class", "axes"));
        for (double v = yMin; v <= yMax + step / 2; v += step)
            axes.Add(Line(Left, Y(v), Left + PlotW, Y(v), "#e5e5e5"), Text(Left - 8, Y(v) + 4, F(Math.Round(v, 6), "0.###"), 11, "end"));
        axes.Add(Line(Left, Top + PlotH, Left + PlotW, Top + PlotH, "black"), Line(Left, Top, Left, Top + PlotH, "black"));
        for (var i = 0; i < ticks.Count; i++) axes.Add(Text(X(i), Top + PlotH + 18, ticks[i], 11, "middle"));
        axes.Add(Text(Left + PlotW / 2, height - 14, xLabel, 12, "middle"));
        svg.Add(axes);
        foreach (var (line, k) in series.Select((s, k) => (s, k)))
        {
            string colour = Colours[k % Colours.Length];
            double offset = (k - (series.Count - 1) / 2.0) * 0.04;
            var points = line.Points.OrderBy(p => p.X).ToList();
            var g = new XElement(Svg + "g", new XAttribute("class", "series"), new XAttribute("data-name", line.Name),
                new XElement(Svg + "polyline", Attrs(("fill", "none"), ("stroke", colour), ("stroke-width", 1.5),
                    ("points", string.Join(' ', points.Select(p => $"{F(X(p.X + offset))},{F(Y(p.Y))}"))))));
            foreach (var p in points)
            {
                double px = X(p.X + offset);
                if (p.Low is { } low && p.High is { } high)
                    g.Add(new XElement(Svg + "g", new XAttribute("class", "error-bar"), Line(px, Y(high), px, Y(low), colour),
                        Line(px - 4, Y(high), px + 4, Y(high), colour), Line(px - 4, Y(low), px + 4, Y(low), colour)));
                g.Add(new XElement(Svg + "circle", Attrs(("class", "point"), ("cx", px), ("cy", Y(p.Y)), ("r", 4), ("fill", colour)),
                    new XElement(Svg + "title", $"{line.Name} {ticks[p.X]}: {F(p.Y, "0.###")}")));
            }
            svg.Add(g);
            svg.Add(Line(Left + PlotW + 20, Top + 10 + k * 18, Left + PlotW + 38, Top + 10 + k * 18, colour, 2), Text(Left + PlotW + 44, Top + 14 + k * 18, line.Name, 12));
        }
        return new XDeclaration("1.0", "utf-8", null) + "\n" + svg;
    }
}
