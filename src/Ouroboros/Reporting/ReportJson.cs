using System.Text.Json.Nodes;
using Ouroboros.Runs;
using Ouroboros.Statistics;
using Ouroboros.Store;

namespace Ouroboros.Reporting;

/// <summary>
/// The report as one JSON object, the shape <c>ouro report --json</c> and <c>ouro stop --json</c> print:
/// <c>run</c>, <c>task</c>, <c>model</c>, <c>iterations</c> (each with <c>t</c>, <c>val</c>, <c>test</c>,
/// <c>adopted</c>), <c>lineage</c> (<see cref="LineageJson"/>), <c>verdict</c> and <c>us</c> (u(s)) for a STOP run, <c>baseline</c>,
/// <c>safety</c>, plus transfer, audit and model usage (with a STOP run's <c>phases</c>: loop, then baseline; <c>faults</c> by kind,
/// failed and retried; <c>failedCalls</c>), and <c>warning</c> when a quarter or more of the model calls failed. A mean
/// <c>x</c> is written as <c>x</c>, <c>xN</c> and <c>xCi95</c> ([low, high], or null when n &lt; 2).
/// </summary>
public static class ReportJson
{
    public static JsonObject ToJson(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var run = report.Run;
        var o = new JsonObject
        {
            ["run"] = run.Id,
            ["kind"] = run.Kind,
            ["verdict"] = report.Verdict is { } v ? Verdict(v) : null,
            ["status"] = report.State.Status,
            ["heartbeat"] = report.State.Heartbeat?.ToString("O"),
            ["phase"] = report.State.Lease?.Progress,
            ["created"] = run.CreatedAt.ToString("O"),
            ["finished"] = run.FinishedAt?.ToString("O"),
            ["task"] = report.Task,
            ["model"] = report.Model,
            ["config"] = run.Config.DeepClone(),
            ["iterations"] = new JsonArray(report.Iterations.Select(Iteration).ToArray<JsonNode?>()),
            ["lineage"] = report.Lineage is { } l ? LineageJson.ToJson(l) : null,
            ["final"] = report.Final is { } f ? new JsonObject { ["t"] = f.T, ["improver"] = f.ImproverHash } : null,
            ["baseline"] = report.Baseline is { } b ? Baseline(b) : null,
            ["us"] = report.SeedUtilities.Count > 0 ? Us(report) : null,
            ["adoptionTest"] = report.AdoptionTest,
            ["transfers"] = new JsonArray(report.Transfers.Select(Transfer).ToArray<JsonNode?>()),
            ["safety"] = Safety(report.Safety),
            ["modelUsage"] = Usage(report),
            ["warning"] = report.Usage.Warning,
        };
        // The experiment's own section, under its kind (an audit's rows under "audit", an improve run's before → after under "improve").
        if (report.ExperimentJson is { } own && !o.ContainsKey(run.Kind)) o[run.Kind] = own.DeepClone();
        return o;
    }

    /// <summary>
    /// A run as <c>ouro runs --json</c> lists it, with how it stands (<paramref name="state"/>): for a
    /// <c>running</c> or <c>stale</c> run, its last <c>heartbeat</c> and the <c>holder</c> of its lease.
    /// </summary>
    public static JsonObject Summary(RunRow run, RunState state) => new()
    {
        ["id"] = run.Id,
        ["kind"] = run.Kind,
        ["status"] = state.Status,
        ["heartbeat"] = state.Heartbeat?.ToString("O"),
        ["phase"] = state.Lease?.Progress,
        ["holder"] = state.Lease is { } lease ? new JsonObject { ["host"] = lease.Holder.Host, ["pid"] = lease.Holder.Pid, ["until"] = lease.Until.ToString("O") } : null,
        ["created"] = run.CreatedAt.ToString("O"),
        ["finished"] = run.FinishedAt?.ToString("O"),
        ["task"] = ConfigText.Tasks(run.Config),
        ["model"] = run.Config["model"]?.DeepClone(),
    };

    /// <summary>Writes <paramref name="m"/> as <c>name</c>, <c>nameN</c> and <c>nameCi95</c>; all null when there is no measurement.</summary>
    public static void PutMean(JsonObject o, string name, MeanInterval? m)
    {
        o[name] = m is null ? null : Round(m.Mean);
        o[name + "N"] = m?.N;
        o[name + "Ci95"] = m is { HasInterval: true } ? new JsonArray(Round(m.Low!.Value), Round(m.High!.Value)) : null;
    }

    private static JsonObject Iteration(IterationReport i)
    {
        var o = new JsonObject { ["t"] = i.T, ["improver"] = i.ImproverHash };
        PutMean(o, "val", i.Val);
        PutMean(o, "test", i.Test);
        o["adopted"] = i.Adopted;
        o["reason"] = i.Reason;
        return o;
    }

    /// <summary>The verdict: its line, outcome, the reading and test it used, and every number in the line.</summary>
    private static JsonObject Verdict(Verdict v)
    {
        var o = new JsonObject { ["outcome"] = v.Outcome, ["line"] = v.Line, ["reading"] = Reporting.Verdict.Reading, ["test"] = Reporting.Verdict.Test, ["finalT"] = v.FinalT };
        PutMean(o, "final", v.Final);
        PutMean(o, "baseline", v.Baseline);
        var d = v.Difference;
        o["difference"] = d is null ? null : Round(d.Difference);
        o["differenceCi95"] = d is { HasInterval: true } ? new JsonArray(Round(d.Low!.Value), Round(d.High!.Value)) : null;
        o["df"] = d?.Df is { } df ? Round(df) : null;
        o["significant"] = d?.Significant;
        o["bestOfN"] = v.BestOfN is { } best ? new JsonObject { ["val"] = Round(best.Val), ["test"] = Round(best.Test) } : null;
        o["bestOfNLine"] = v.BestOfNLine;
        return o;
    }

    /// <summary>u(s): the mean over the run's tasks per split, and each task's.</summary>
    private static JsonObject Us(RunReport report) => new()
    {
        ["val"] = report.Us.Val is { } val ? Round(val) : null,
        ["test"] = report.Us.Test is { } test ? Round(test) : null,
        ["tasks"] = new JsonArray(report.SeedUtilities.Select(u => (JsonNode?)new JsonObject
        {
            ["task"] = u.Task, ["val"] = u.Val is { } v ? Round(v) : null, ["test"] = u.Test is { } t ? Round(t) : null,
        }).ToArray()),
    };

    private static JsonObject Baseline(BaselineReport b)
    {
        var o = new JsonObject { ["method"] = b.Method, ["runs"] = b.Runs, ["completions"] = b.Completions, ["utilityCalls"] = b.UtilityCalls };
        PutMean(o, "val", b.Val);
        PutMean(o, "test", b.Test);
        o["bestVal"] = b.Best?.Val;
        o["bestTest"] = b.Best?.Test;
        return o;
    }

    private static JsonObject Transfer(TransferReport t) => new()
    {
        ["run"] = t.RunId,
        ["improver"] = t.Improver,
        ["rows"] = new JsonArray(t.Rows.Select(r =>
        {
            var seed = new JsonObject();
            PutMean(seed, "val", r.SeedVal);
            PutMean(seed, "test", r.SeedTest);
            var improved = new JsonObject();
            PutMean(improved, "val", r.ImprovedVal);
            PutMean(improved, "test", r.ImprovedTest);
            return (JsonNode?)new JsonObject
            {
                ["task"] = r.Task,
                ["us"] = new JsonObject { ["val"] = r.UsVal, ["test"] = r.UsTest },
                ["seed"] = seed,
                ["improved"] = improved,
            };
        }).ToArray()),
    };

    private static JsonObject Safety(IReadOnlyList<SafetyCount> counts)
    {
        var byKind = new JsonObject();
        foreach (var c in counts) byKind[c.Kind] = new JsonObject { ["events"] = c.Events, ["programs"] = c.Programs };
        return new JsonObject { ["total"] = counts.Sum(c => c.Events), ["byKind"] = byKind };
    }

    private static JsonObject Usage(RunReport report)
    {
        var o = Totals(report.Usage.Total);
        o["window"] = ModelUsageQuery.Window(report.Run);
        o["criticalPath"] = report.Usage.CriticalPath;
        o["tokensEstimated"] = report.Usage.TokensEstimated;
        o["priced"] = report.Usage.Priced;
        if (!report.Usage.Priced) o["costUsd"] = null; // no price, no dollars: not $0
        o["byLevel"] = new JsonArray(report.Usage.ByLevel.Select(l =>
        {
            var level = Totals(l.Totals);
            level["level"] = l.Level;
            return (JsonNode?)level;
        }).ToArray());
        o["phases"] = new JsonArray(report.Usage.Phases.Select(p => (JsonNode?)new JsonObject
        {
            ["phase"] = p.Phase, ["calls"] = p.Calls, ["completions"] = p.Completions, ["criticalPath"] = p.CriticalPath,
        }).ToArray());
        o["failedCalls"] = report.Usage.FailedCalls;
        var faults = new JsonObject();
        foreach (var f in report.Usage.Faults) faults[f.Kind] = new JsonObject { ["failed"] = f.Failed, ["retried"] = f.Retried };
        o["faults"] = faults;
        return o;
    }

    private static JsonObject Totals(ModelCallTotals t) => new()
    {
        ["calls"] = t.Calls,
        ["completions"] = t.Completions,
        ["tokensIn"] = t.TokensIn,
        ["tokensOut"] = t.TokensOut,
        ["costUsd"] = Round(t.CostUsd),
    };

    // Six decimals: far below any difference a 95% interval could resolve, and free of float noise.
    private static double Round(double x) => Math.Round(x, 6);
}
