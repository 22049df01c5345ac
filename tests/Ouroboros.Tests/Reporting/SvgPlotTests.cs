using System.Globalization;
using System.Xml.Linq;
using Ouroboros.Reporting;

namespace Ouroboros.Tests.Reporting;

/// <summary>The meta-utility plot: well-formed SVG, one error bar per point that has an interval, adopted improvers marked.</summary>
public sealed class SvgPlotTests : IDisposable
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private readonly Ouroboros.Store.RunStore _store = ReportStore.Filled();

    public void Dispose() => _store.Dispose();

    private XElement Plot() => XDocument.Parse(SvgPlot.Render(RunReportBuilder.Build(_store, ReportStore.Stop)!)).Root!;

    private static XElement Series(XElement svg, string name) =>
        svg.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == $"series {name}");

    private static double D(XElement e, string attribute) => double.Parse((string)e.Attribute(attribute)!, CultureInfo.InvariantCulture);

    [Fact]
    public void The_plot_is_svg_titled_with_the_task_and_model()
    {
        var svg = Plot();
        Assert.Equal(Svg + "svg", svg.Name);
        var texts = svg.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains(texts, t => t.Contains("lpn") && t.Contains("offline-mutation"));
        Assert.Contains("iteration t (0 = seed improver)", texts);
        Assert.Contains("meta-utility û", texts);
        Assert.Contains("validation (selects)", texts);
        Assert.Contains("baseline: mean per run", texts);
        Assert.Contains("(the verdict's reading)", texts);
        Assert.Contains("u(s): the seed solution", texts);
        Assert.Contains("rejected candidate", texts);
    }

    [Fact]
    public void The_verdict_and_the_best_of_n_reading_head_the_plot()
    {
        var svg = Plot();
        var report = RunReportBuilder.Build(_store, ReportStore.Stop)!;
        string Joined(string cls) => string.Join(' ', svg.Descendants(Svg + "text").Where(t => (string?)t.Attribute("class") == cls).Select(t => t.Value));
        Assert.Equal(report.Verdict!.Line, Joined("verdict"));
        Assert.Equal(report.Verdict.BestOfNLine, Joined("best-of-n"));
    }

    /// <summary>The value drawn at height y, read back from the axis' tick labels.</summary>
    private static double ValueAt(XElement svg, double y)
    {
        var ticks = svg.Descendants(Svg + "text").Where(t => (string?)t.Attribute("class") == "tick")
            .Select(t => (Value: double.Parse(t.Value, CultureInfo.InvariantCulture), Y: D(t, "data-y"))).ToList();
        var (a, b) = (ticks.First(), ticks.Last());
        return a.Value + (y - a.Y) / (b.Y - a.Y) * (b.Value - a.Value);
    }

    private static XElement Reference(XElement svg, string cls) =>
        svg.Descendants(Svg + "line").Single(l => (string?)l.Attribute("class") == cls);

    [Fact]
    public void The_baseline_is_drawn_at_the_verdicts_reading_and_u_s_at_the_seed_solutions_utility()
    {
        var svg = Plot();
        var verdict = RunReportBuilder.Build(_store, ReportStore.Stop)!.Verdict!;
        var test = Reference(svg, "baseline test");
        Assert.Equal(verdict.Baseline!.Mean, ValueAt(svg, D(test, "y1")), 6);
        Assert.Equal(0.52, D(test, "data-value"), 9);
        // The validation baseline at the same reading: the mean of its runs (0.53), not the best-of-N solution.
        Assert.Equal(0.53, ValueAt(svg, D(Reference(svg, "baseline val"), "y1")), 6);
        Assert.Equal(ReportStore.UsVal, ValueAt(svg, D(Reference(svg, "us val"), "y1")), 6);
        Assert.Equal(ReportStore.UsTest, ValueAt(svg, D(Reference(svg, "us test"), "y1")), 6);
    }

    [Fact]
    public void The_current_improver_line_stays_flat_at_a_rejected_candidate_which_is_drawn_off_it()
    {
        var svg = Plot();
        var val = Series(svg, "val");
        var line = ((string)val.Element(Svg + "polyline")!.Attribute("points")!).Split(' ')
            .Select(p => double.Parse(p.Split(',')[1], CultureInfo.InvariantCulture)).ToList();
        // t = 2 was rejected (val 0.55): the current improver is still t = 1's (0.6).
        Assert.Equal(line[1], line[2], 6);
        Assert.Equal(0.6, ValueAt(svg, line[2]), 6);
        var rejected = val.Elements(Svg + "circle").Single(c => (string?)c.Attribute("class") == "point rejected");
        Assert.Equal(0.55, ValueAt(svg, D(rejected, "cy")), 6);
        Assert.Equal("white", (string)rejected.Attribute("fill")!);
    }

    [Fact]
    public void Every_point_with_an_interval_has_exactly_one_error_bar()
    {
        var svg = Plot();
        var val = Series(svg, "val");
        var test = Series(svg, "test");
        Assert.Equal(3, val.Elements(Svg + "circle").Count());
        Assert.Equal(3, val.Elements(Svg + "g").Count(g => (string?)g.Attribute("class") == "error-bar"));
        // Test at t = 2 is a single run: no interval, so no bar.
        Assert.Equal(3, test.Elements(Svg + "circle").Count());
        Assert.Equal(2, test.Elements(Svg + "g").Count(g => (string?)g.Attribute("class") == "error-bar"));
    }

    [Fact]
    public void Error_bars_span_the_point_and_are_longer_for_wider_intervals()
    {
        var val = Series(Plot(), "val");
        var bars = val.Elements(Svg + "g").Select(g => g.Elements(Svg + "line").First()).ToList();
        var points = val.Elements(Svg + "circle").ToList();
        for (int i = 0; i < 3; i++)
        {
            Assert.True(D(bars[i], "y1") < D(points[i], "cy") && D(points[i], "cy") < D(bars[i], "y2"), $"bar {i} does not span its point");
            Assert.Equal(D(bars[i], "x1"), D(points[i], "cx"));
        }
        // t = 2's validation runs spread wider (half-width 0.0439) than t = 0's (0.0176).
        Assert.True(D(bars[2], "y2") - D(bars[2], "y1") > 2 * (D(bars[0], "y2") - D(bars[0], "y1")));
        // Higher meta-utility is drawn higher: t = 1 (0.6) above t = 0 (0.5).
        Assert.True(D(points[1], "cy") < D(points[0], "cy"));
    }

    [Fact]
    public void Adopted_improvers_are_filled_and_rejected_ones_hollow()
    {
        var points = Series(Plot(), "val").Elements(Svg + "circle").ToList();
        Assert.Equal(["point adopted", "point adopted", "point rejected"], points.Select(p => (string)p.Attribute("class")!));
        Assert.Equal("white", (string)points[2].Attribute("fill")!);
        Assert.NotEqual("white", (string)points[0].Attribute("fill")!);
    }

    [Fact]
    public void The_y_axis_uses_round_ticks_covering_every_value()
    {
        var (min, max, step) = SvgPlot.Scale([0.48, 0.62]);
        Assert.Equal(0.05, step, 12);
        Assert.Equal(0.45, min, 12);
        Assert.Equal(0.65, max, 12);
        // A single value gets a ±0.05 range, on ticks of 0.02 that enclose it.
        Assert.Equal((0.44, 0.56, 0.02), SvgPlot.Scale([0.5]) is var s ? (Math.Round(s.Min, 9), Math.Round(s.Max, 9), Math.Round(s.Step, 9)) : default);
    }

    [Fact]
    public void A_run_without_iterations_cannot_be_plotted() =>
        Assert.Throws<InvalidOperationException>(() => SvgPlot.Render(RunReportBuilder.Build(_store, ReportStore.Audit)!));
}
