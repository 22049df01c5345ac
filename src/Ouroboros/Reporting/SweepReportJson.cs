using System.Text.Json.Nodes;

namespace Ouroboros.Reporting;

/// <summary>
/// A sweep's report as one JSON object: the sweep, each point with its run id, state and scores, and
/// each cell's means (<c>final</c>, <c>finalN</c>, <c>finalCi95</c>; likewise <c>seedImprover</c> and
/// <c>baseline</c>) and safety rates. Per-point scores are unrounded, so two sweeps can be compared exactly.
/// </summary>
public static class SweepReportJson
{
    public static JsonObject ToJson(SweepReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new JsonObject
        {
            ["id"] = report.Id,
            ["kind"] = report.Sweep.Kind,
            ["status"] = report.Sweep.Status,
            ["experiment"] = report.Plan.Experiment,
            ["executor"] = report.Plan.Execution.Executor,
            ["points"] = new JsonArray(report.Points.Select(p => (JsonNode?)Point(p, report)).ToArray()),
            ["cells"] = new JsonArray(report.Cells.Select(c => (JsonNode?)Cell(c)).ToArray()),
            ["unfinished"] = new JsonArray(report.Unfinished.Select(p => (JsonNode?)p.Point.Index).ToArray()),
        };
    }

    /// <summary>One point: its coordinates, run, state, SLURM job element, failure, and test scores when finished.</summary>
    public static JsonObject Point(Sweeps.PointState p, SweepReport? report = null)
    {
        var scores = report?.Cells.SelectMany(c => c.Runs).FirstOrDefault(r => r.Index == p.Point.Index);
        return new JsonObject
        {
            ["index"] = p.Point.Index,
            ["coordinates"] = p.Point.Coordinates.DeepClone(),
            ["runId"] = p.Point.RunId,
            ["state"] = p.State,
            ["slurmJob"] = p.SlurmJob,
            ["error"] = p.FailureReason,
            ["finalT"] = scores?.FinalT,
            ["final"] = scores?.Final,
            ["seedImprover"] = scores?.SeedImprover,
            ["baseline"] = scores?.Baseline,
        };
    }

    private static JsonObject Cell(SweepCell c)
    {
        var o = new JsonObject
        {
            ["label"] = c.Label,
            ["coordinates"] = c.Coordinates.DeepClone(),
            ["points"] = c.Runs.Count,
            ["finished"] = c.Finished,
        };
        ReportJson.PutMean(o, "final", c.Final);
        ReportJson.PutMean(o, "seedImprover", c.SeedImprover);
        ReportJson.PutMean(o, "baseline", c.Baseline);
        o["safety"] = new JsonArray(c.Safety.Select(s =>
        {
            var rate = new JsonObject { ["kind"] = s.Kind, ["events"] = s.Events };
            ReportJson.PutMean(rate, "perRun", s.PerRun);
            return (JsonNode?)rate;
        }).ToArray());
        return o;
    }
}
