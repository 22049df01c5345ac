using Ouroboros.Statistics;
using Ouroboros.Store;
using Ouroboros.Sweeps;

namespace Ouroboros.Reporting;

/// <summary>Reads a sweep back from the store into a <see cref="SweepReport"/>, one run report per finished point. Reading only.</summary>
public static class SweepReportBuilder
{
    /// <summary>Events per run are counts: at least 0, no upper bound.</summary>
    private static readonly (double Low, double High) Count = (0, double.PositiveInfinity);

    /// <summary>The report of sweep <paramref name="sweepId"/>, or null when the store has no such run; <see cref="InvalidDataException"/> when it is not a sweep.</summary>
    public static SweepReport? Build(IRunStore store, string sweepId)
    {
        ArgumentNullException.ThrowIfNull(store);
        var sweep = store.Journal.GetRun(sweepId);
        if (sweep is null) return null;
        if (sweep.Kind != SweepPlan.Kind) throw new InvalidDataException($"run {sweepId} is a '{sweep.Kind}' run, not a sweep");
        var plan = SweepPlan.FromConfig(sweepId, sweep.Config);
        var points = SweepPoints.States(store, plan);
        var cells = points
            .GroupBy(p => CellLabel(p.Point))
            .Select(g => Cell(store, g.Key, g.ToList()))
            .ToList();
        return new SweepReport(sweep, plan, points, cells);
    }

    /// <summary>A point's coordinates without its seed: the points of one cell differ only in the seed.</summary>
    private static string CellLabel(PlannedPoint p)
    {
        var coordinates = p.Coordinates.DeepClone().AsObject();
        coordinates.Remove("seed");
        return new SweepPoint(p.Index, coordinates, p.Config).Label;
    }

    private static SweepCell Cell(IRunStore store, string label, IReadOnlyList<PointState> points)
    {
        var coordinates = points[0].Point.Coordinates.DeepClone().AsObject();
        coordinates.Remove("seed");
        var reports = points.Select(p => (Point: p, Report: p.Finished ? RunReportBuilder.Build(store, p.Point.RunId) : null)).ToList();
        var runs = reports.Select(r => new PointScores(r.Point.Point.Index, r.Point.Point.RunId, r.Point.State,
            r.Report?.Final?.T, r.Report?.Final?.Test.Mean,
            r.Report?.Iterations.FirstOrDefault(i => i.T == 0)?.Test.Mean,
            r.Report?.Baseline?.Test?.Mean)).ToList();
        var finished = reports.Where(r => r.Report is not null).Select(r => r.Report!).ToList();
        var safety = RunReportBuilder.KnownKinds
            .Concat(finished.SelectMany(r => r.Safety.Select(s => s.Kind)))
            .Distinct()
            .Where(_ => finished.Count > 0)
            .Select(kind =>
            {
                var perRun = finished.Select(r => (double)(r.Safety.FirstOrDefault(s => s.Kind == kind)?.Events ?? 0)).ToList();
                return new SafetyRate(kind, (int)perRun.Sum(), MeanInterval.Of(perRun, Count));
            }).ToList();
        return new SweepCell(label, coordinates, runs,
            Mean(runs.Where(r => r.Finished).Select(r => r.Final)),
            Mean(runs.Where(r => r.Finished).Select(r => r.SeedImprover)),
            Mean(runs.Where(r => r.Finished).Select(r => r.Baseline)),
            safety);
    }

    /// <summary>The mean over seeds of the values present, or null when there are none.</summary>
    private static MeanInterval? Mean(IEnumerable<double?> values)
    {
        var present = values.Where(v => v is not null).Select(v => v!.Value).ToList();
        return present.Count == 0 ? null : MeanInterval.Of(present, MeanInterval.Unit);
    }
}
