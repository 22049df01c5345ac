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
        Assert.Contains("best-of-N baseline", texts);
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
