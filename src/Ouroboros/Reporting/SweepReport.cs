using System.Text.Json.Nodes;
using Ouroboros.Statistics;
using Ouroboros.Store;
using Ouroboros.Sweeps;

namespace Ouroboros.Reporting;

/// <summary>
/// A sweep's aggregate: for each cell of the grid without its seeds (a task and a model, and any
/// other axis), the mean over seeds of the final improver's test meta-utility, of the seed
/// improver's (t = 0) and of the best-of-N baseline's (the per-run mean of its seed-improver runs,
/// the reading the verdict uses), each with n and a 95% t interval clipped to [0, 1]
/// (<see cref="MeanInterval"/>, as a run's report); and the safety events per run. A mean is over
/// finished points only; every point that is not finished is listed (<see cref="Unfinished"/>), never dropped.
/// Built by <see cref="SweepReportBuilder"/>.
/// </summary>
public sealed record SweepReport(RunRow Sweep, SweepPlan Plan, IReadOnlyList<PointState> Points, IReadOnlyList<SweepCell> Cells)
{
    public string Id => Sweep.Id;

    /// <summary>The points whose run has not finished: pending, running, stale, interrupted or failed.</summary>
    public IReadOnlyList<PointState> Unfinished => Points.Where(p => !p.Finished).ToList();
}

/// <summary>One cell of a sweep: the points that differ only in their seed, and their means over seeds.</summary>
public sealed record SweepCell(string Label, JsonObject Coordinates, IReadOnlyList<PointScores> Runs,
    MeanInterval? Final, MeanInterval? SeedImprover, MeanInterval? Baseline, IReadOnlyList<SafetyRate> Safety)
{
    /// <summary>How many of the cell's points finished: the n of its means.</summary>
    public int Finished => Runs.Count(r => r.Finished);
}

/// <summary>One point's scores on test, from its run's report; null where the run has not produced them.</summary>
public sealed record PointScores(int Index, string RunId, string State, int? FinalT, double? Final, double? SeedImprover, double? Baseline)
{
    public bool Finished => State == RunStates.Finished;
}

/// <summary>A kind of safety event across a cell's finished runs: how many there were, and the mean per run with n and a 95% interval (clipped at 0).</summary>
public sealed record SafetyRate(string Kind, int Events, MeanInterval PerRun);
