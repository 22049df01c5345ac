using Ouroboros.Reporting;
using System.Text.Json.Nodes;
using Ouroboros.Runs;
using Ouroboros.Statistics;
using Ouroboros.Store;
using static Ouroboros.Runs.ReportFormat;

namespace Ouroboros.Training.WeakToStrong;

/// <summary>
/// A w2s run's part of its report: the PGR table (per setting, view, method, epochs and size pair,
/// direct and through the bootstrapping chain, median over seeds with a bootstrap interval, n and the
/// pairs excluded for a ceiling not above the supervisor); test accuracy against the student's size
/// for the weak supervisor, the ceiling and each method; and the training curves of the longest
/// trainings, as PGR after each epoch (the drift toward imitating the supervisor).
/// </summary>
public sealed class W2sReportSection : IReportSection
{
    public string Kind => W2sOptions.KindName;

    public IReadOnlyList<ReportTable> Tables(RunRow run, IRunStore store)
    {
        var rows = new W2sTable(store).Rows(run.Id);
        if (rows.Count == 0) return [];
        var groups = PgrGroups.From(rows);
        var tables = new List<ReportTable> { PgrTable(groups.Where(g => g.Route == PgrGroups.Direct).ToList(), rows) };
        if (groups.Any(g => g.Route == W2sRow.Chain)) tables.Add(ChainTable(groups));
        tables.Add(AccuracyTable(rows));
        tables.Add(CurveTable(rows));
        return tables;
    }

    private static ReportTable PgrTable(IReadOnlyList<PgrGroup> groups, IReadOnlyList<W2sRow> rows) => new("Performance gap recovered",
        "PGR = (student − weak) / (ceiling − weak) on test accuracy, per seed; the median over seeds (and, on 'all' lines, over size pairs too) " +
        "with a 95% percentile-bootstrap interval. Each student learnt the weak supervisor's soft labels on split B. " +
        "Pairs whose ceiling is not above the weak supervisor are excluded (counted in the last column). " +
        (rows.Any(r => r.Setting == W2sOptions.Latent) ? "Setting (a) is a mechanism demonstration with logistic regressions, not a reproduction with pretrained models. " : "") +
        (rows.Any(r => r.Setting == W2sOptions.Transformer)
            ? "Setting (b) is a miniature with tiny pretrained transformers: where the ceiling beats the supervisor by a few points, a few test errors move PGR by whole units; read it beside the accuracy table." : ""),
        ["setting", "view", "method", "epochs", "pair", "PGR", "95% interval", "n", "excluded"],
        groups.Select(g => new[]
        {
            g.Setting, g.View, g.Method, $"{g.Epochs}", g.StudentSize == 0 ? "all" : $"{g.WeakSize}→{g.StudentSize}",
            Number(g.Pgr.Median), Interval(g.Pgr), $"{g.Pgr.N}", $"{g.Pgr.Excluded}",
        }).ToList());

    /// <summary>The chain's last link against the direct student of the same size, method and epochs (the chain's first link is the direct student, so only the last is shown).</summary>
    private static ReportTable ChainTable(IReadOnlyList<PgrGroup> groups)
    {
        var strongest = groups.Max(g => g.StudentSize);
        var direct = groups.Where(g => g.Route == PgrGroups.Direct && g.StudentSize == strongest).ToDictionary(g => (g.Setting, g.View, g.Method, g.Epochs));
        var lines = groups.Where(g => g.Route == W2sRow.Chain && g.StudentSize == strongest).Select(g =>
        {
            var d = direct.GetValueOrDefault((g.Setting, g.View, g.Method, g.Epochs));
            return new[]
            {
                g.Setting, g.View, g.Method, $"{g.Epochs}", $"{g.WeakSize}→{strongest}", Number(d?.Pgr.Median), d is null ? "–" : Interval(d.Pgr),
                Number(g.Pgr.Median), Interval(g.Pgr), $"{g.Pgr.N}", $"{g.Pgr.Excluded}",
            };
        }).ToList();
        return new ReportTable("Bootstrapping against direct",
            "The strongest student's PGR when it learnt the weak supervisor's labels directly, and at the end of a bootstrapping chain through every size " +
            "(each size learnt only the labels of the one below it); median over seeds [95% percentile-bootstrap interval].",
            ["setting", "view", "method", "epochs", "pair", "direct PGR", "95% interval", "chain PGR", "95% interval", "n", "excluded"], lines);
    }

    private static string Interval(PgrSummary p) => p.Low is { } low ? $"[{Number(low)}, {Number(p.High)}]" : "–";

    /// <summary>
    /// The paper's figure, per setting, view and epoch count: test accuracy against the student's size for
    /// the weak supervisor (flat: it has one size), the ceiling at each size and each method's student;
    /// means over seeds with 95% t intervals.
    /// </summary>
    public IReadOnlyList<(string File, string Svg)> Plots(RunRow run, IRunStore store)
    {
        var rows = new W2sTable(store).Rows(run.Id);
        var plots = new List<(string, string)>();
        var methods = rows.Where(r => r.Role == W2sRow.Student).Select(r => r.Method).Distinct().OrderBy(PgrGroups.MethodOrder).ToList();
        foreach (var g in rows.Where(r => r.Role == W2sRow.Student).GroupBy(r => (r.Setting, r.View, r.Epochs))
                     .OrderBy(g => g.Key.Setting).ThenBy(g => PgrGroups.ViewOrder(g.Key.View)).ThenBy(g => g.Key.Epochs))
        {
            var sizes = g.Select(r => r.Size).Distinct().Order().ToList();
            PlotPoint? Point(int x, IEnumerable<W2sRow> cell)
            {
                var values = cell.Select(r => r.TestAccuracy).ToList();
                if (values.Count == 0) return null;
                var i = MeanInterval.Of(values, MeanInterval.Unit);
                return new PlotPoint(x, i.Mean, i.Low, i.High);
            }
            var weak = rows.Where(r => r.Role == W2sRow.Weak && r.Setting == g.Key.Setting && r.View == g.Key.View).ToList();
            var series = new List<PlotSeries>
            {
                new("weak supervisor", sizes.Select((_, x) => Point(x, weak)).OfType<PlotPoint>().ToList()),
                new("ceiling", sizes.Select((size, x) => Point(x, rows.Where(r => r.Role == W2sRow.Ceiling && r.Setting == g.Key.Setting && r.View == g.Key.View && r.Size == size))).OfType<PlotPoint>().ToList()),
            };
            series.AddRange(methods.Select(m => new PlotSeries($"student: {m}", sizes.Select((size, x) => Point(x, g.Where(r => r.Size == size && r.Method == m))).OfType<PlotPoint>().ToList())));
            series.RemoveAll(s => s.Points.Count == 0);
            if (series.Count == 0) continue;
            plots.Add(($"w2s-{g.Key.Setting}-{g.Key.View}-e{g.Key.Epochs}.svg", IntervalPlot.Render(
                $"Weak-to-strong, setting {g.Key.Setting}, {g.Key.View}, {g.Key.Epochs} epochs (run {run.Id})",
                "test accuracy: mean over seeds with 95% t interval", "student size", sizes.Select(s => $"{s}").ToList(), series)));
        }
        return plots;
    }

    private static ReportTable AccuracyTable(IReadOnlyList<W2sRow> rows)
    {
        var methods = rows.Where(r => r.Role == W2sRow.Student).Select(r => r.Method).Distinct().OrderBy(PgrGroups.MethodOrder).ToList();
        var lines = new List<string[]>();
        foreach (var g in rows.Where(r => r.Role == W2sRow.Student).GroupBy(r => (r.Setting, r.View, r.Epochs)).OrderBy(g => g.Key.Setting).ThenBy(g => PgrGroups.ViewOrder(g.Key.View)).ThenBy(g => g.Key.Epochs))
        {
            var weak = Accuracy(rows.Where(r => r.Role == W2sRow.Weak && r.Setting == g.Key.Setting && r.View == g.Key.View));
            foreach (var size in g.Select(r => r.Size).Distinct().Order())
            {
                var ceiling = Accuracy(rows.Where(r => r.Role == W2sRow.Ceiling && r.Setting == g.Key.Setting && r.View == g.Key.View && r.Size == size));
                lines.Add([g.Key.Setting, g.Key.View, $"{g.Key.Epochs}", $"{size}", weak, ceiling,
                    .. methods.Select(m => Accuracy(g.Where(r => r.Size == size && r.Method == m)))]);
            }
        }
        return new ReportTable("Test accuracy by student size",
            "Mean test accuracy over seeds [95% t interval]: the weak supervisor (the smallest size, trained on split A), the ceiling (this size on split B's ground truth) " +
            "and the student of each method (this size on the supervisor's labels of split B).",
            ["setting", "view", "epochs", "student size", "weak", "ceiling", .. methods], lines);
    }

    private static ReportTable CurveTable(IReadOnlyList<W2sRow> rows)
    {
        var students = rows.Where(r => r.Role == W2sRow.Student && r.Curve is { Count: > 0 }).ToList();
        var longest = students.Select(r => r.Epochs).DefaultIfEmpty(0).Max();
        var marks = new[] { 1, 2, 5, 10, 20, 40, 80, 160, 320, 640 }.Where(e => e < longest).Append(longest).ToList();
        var strongest = students.Select(r => r.Size).DefaultIfEmpty(0).Max();
        var lines = new List<string[]>();
        foreach (var g in students.Where(r => r.Epochs == longest && r.Size == strongest).GroupBy(r => (r.Setting, r.View, r.Method))
                     .OrderBy(g => g.Key.Setting).ThenBy(g => PgrGroups.ViewOrder(g.Key.View)).ThenBy(g => PgrGroups.MethodOrder(g.Key.Method)))
        {
            var cells = marks.Select(e => g.Select(r => Pgr.Of(Weak(rows, r), r.Curve![e - 1], Ceiling(rows, r))).OfType<double>().ToList())
                .Select(v => v.Count == 0 ? "–" : Number(BootstrapInterval.MedianOf(v)));
            lines.Add([g.Key.Setting, g.Key.View, g.Key.Method, .. cells]);
        }
        return new ReportTable("Training curves",
            $"The {longest}-epoch students of size {strongest}: median PGR over seeds of the test accuracy after each epoch (recorded, never used to stop or choose). " +
            "A falling line is the student drifting toward its supervisor's errors.",
            ["setting", "view", "method", .. marks.Select(e => $"epoch {e}")], lines);
    }

    private static double Weak(IReadOnlyList<W2sRow> rows, W2sRow r) =>
        rows.First(w => w.Role == W2sRow.Weak && w.Setting == r.Setting && w.View == r.View && w.Seed == r.Seed).TestAccuracy;

    private static double Ceiling(IReadOnlyList<W2sRow> rows, W2sRow r) =>
        rows.First(w => w.Role == W2sRow.Ceiling && w.Setting == r.Setting && w.View == r.View && w.Seed == r.Seed && w.Size == r.Size).TestAccuracy;

    private static string Accuracy(IEnumerable<W2sRow> rows)
    {
        var values = rows.Select(r => r.TestAccuracy).ToList();
        return values.Count == 0 ? "–" : MeanInterval.Of(values, (0, 1)).ToString();
    }

    public JsonNode? Json(RunRow run, IRunStore store)
    {
        var rows = new W2sTable(store).Rows(run.Id);
        if (rows.Count == 0) return null;
        return new JsonObject
        {
            ["interval"] = "percentile bootstrap 95% of the median",
            ["pgr"] = new JsonArray(PgrGroups.From(rows).Select(g => (JsonNode?)new JsonObject
            {
                ["setting"] = g.Setting, ["view"] = g.View, ["method"] = g.Method, ["epochs"] = g.Epochs, ["route"] = g.Route,
                ["weakSize"] = g.WeakSize, ["studentSize"] = g.StudentSize == 0 ? null : g.StudentSize,
                ["median"] = g.Pgr.Median, ["ci95"] = g.Pgr.Low is { } low ? new JsonArray(low, g.Pgr.High) : null, ["n"] = g.Pgr.N, ["excluded"] = g.Pgr.Excluded,
            }).ToArray()),
            ["models"] = new JsonArray(rows.Select(r => (JsonNode?)new JsonObject
            {
                ["setting"] = r.Setting, ["view"] = r.View, ["seed"] = r.Seed, ["role"] = r.Role, ["method"] = r.Method, ["epochs"] = r.Epochs,
                ["supervisorSize"] = r.SupervisorSize, ["size"] = r.Size, ["testAccuracy"] = r.TestAccuracy,
                ["curve"] = r.Curve is null ? null : new JsonArray(r.Curve.Select(c => (JsonNode?)c).ToArray()),
            }).ToArray()),
        };
    }
}
