using System.Globalization;
using System.Text.Json.Nodes;
using Ouroboros.Runs;
using Ouroboros.Statistics;
using Ouroboros.Store;
using Ouroboros.Sweeps;

namespace Ouroboros.Reporting;

/// <summary>
/// A sweep's part of its report (<c>ouro report SWEEP</c>, the dashboard's page of the sweep): the
/// aggregate per cell with n and intervals (<see cref="SweepReport"/>), the safety events per run,
/// and every point with its state and run, so each cell's runs are one step away.
/// </summary>
public sealed class SweepReportSection : IReportSection
{
    public string Kind => SweepPlan.Kind;

    public IReadOnlyList<ReportTable> Tables(RunRow run, IRunStore store)
    {
        if (SweepReportBuilder.Build(store, run.Id) is not { } report) return [];
        string Show(MeanInterval? m) => m?.ToString() ?? "–";
        return
        [
            new ReportTable("Sweep: test meta-utility, mean over seeds",
                "Each cell's finished runs: the final improver, the seed improver (t=0) and the best-of-N baseline (per-run mean of its seed-improver runs), " +
                "each mean [95% t interval, clipped to [0, 1]] n = seeds. Points that did not finish are not in the means; they are listed below.",
                ["cell", "finished", "final improver", "seed improver (t=0)", "baseline"],
                report.Cells.Select(c => new[] { c.Label, $"{c.Finished}/{c.Runs.Count}", Show(c.Final), Show(c.SeedImprover), Show(c.Baseline) }).ToList()),
            new ReportTable("Sweep: safety events per run",
                "Each kind of safety event seen in a cell's finished runs: the events, and the mean per run [95% interval] n.",
                ["cell", "kind", "events", "per run"],
                report.Cells.SelectMany(c => c.Safety.Where(s => s.Events > 0).Select(s => new[] { c.Label, s.Kind, $"{s.Events}", s.PerRun.ToString() })).ToList(),
                report.Cells.All(c => c.Safety.All(s => s.Events == 0)) ? "No safety events in any finished run." : null),
            new ReportTable("Sweep: points",
                "Every grid point, its state and its run (a stop run, with its own report).",
                ["point", "coordinates", "state", "run", "SLURM job", "final (test)", "seed improver (test)", "baseline (test)"],
                report.Points.Select(p =>
                {
                    var scores = report.Cells.SelectMany(c => c.Runs).FirstOrDefault(r => r.Index == p.Point.Index);
                    return new[]
                    {
                        p.Point.Index.ToString(CultureInfo.InvariantCulture), p.Point.Label, p.State + (p.FailureReason is { } why ? $": {why}" : ""), p.Point.RunId,
                        p.SlurmJob ?? "", ReportFormat.Number(scores?.Final), ReportFormat.Number(scores?.SeedImprover), ReportFormat.Number(scores?.Baseline),
                    };
                }).ToList()),
        ];
    }

    public JsonNode? Json(RunRow run, IRunStore store) => SweepReportBuilder.Build(store, run.Id) is { } report ? SweepReportJson.ToJson(report) : null;
}
