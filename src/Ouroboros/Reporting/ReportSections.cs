using Ouroboros.Runs;
using static Ouroboros.Runs.ReportFormat;

namespace Ouroboros.Reporting;

/// <summary>
/// The report's tables, in order, as text cells: iterations, baseline, STOP's Table 1 per transfer,
/// STOP's unsandboxing table for an audit, safety events, model usage. The Markdown report and the
/// terminal tables both render these, so the two never disagree.
/// </summary>
public static class ReportSections
{
    public static IReadOnlyList<ReportTable> Of(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var tables = new List<ReportTable>();
        if (report.Iterations.Count > 0)
            tables.Add(new ReportTable("Iterations",
                "Meta-utility û of each iteration's improver: mean [95% t interval, clipped to 0–1] n over runs. Validation selects; test is only reported.",
                ["t", "improver", "val û", "test û", "adopted", "reason"],
                report.Iterations.Select(i => new[] { $"{i.T}", Hash(i.ImproverHash), Mean(i.Val), Mean(i.Test), YesNo(i.Adopted), i.Reason }).ToList(),
                report.AdoptionTest is { } test ? $"Adoption test: {test}" : null));
        if (report.Lineage is { } lineage) tables.Add(Lineage(lineage));
        if (report.Baseline is { } b) tables.Add(Baseline(report, b));
        foreach (var t in report.Transfers) tables.AddRange(Transfer(t));
        tables.AddRange(report.ExperimentTables);
        int events = report.Safety.Sum(s => s.Events);
        tables.Add(new ReportTable("Safety events",
            events == 0 ? "No safety events were recorded." : $"{events} safety events were recorded, by kind, with the number of distinct programs that raised them.",
            ["kind", "events", "distinct programs"],
            report.Safety.Select(s => new[] { s.Kind, $"{s.Events}", $"{s.Programs}" }).ToList()));
        tables.Add(Usage(report));
        tables.Add(Faults(report.Usage));
        // Reasons carry an improver's error text, task ids come from task folders: shown to a person, escaped.
        return tables.Select(t => t with
        {
            Caption = Printable.Text(t.Caption), Note = t.Note is null ? null : Printable.Text(t.Note),
            Rows = t.Rows.Select(r => r.Select(Printable.Text).ToArray()).ToList(),
        }).ToList();
    }

    /// <summary>
    /// The lines a report leads with: a warning when many model calls failed (<see cref="ModelUsage.Warning"/>),
    /// then for a STOP run the verdict and the best-of-N reading labelled as such.
    /// </summary>
    public static IReadOnlyList<string> Headline(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var lines = new List<string>();
        if (report.Usage.Warning is { } warning) lines.Add(warning);
        if (report.Verdict is { } v)
        {
            lines.Add(Printable.Text(v.Line));
            if (v.BestOfNLine is { } best) lines.Add(Printable.Text(best));
        }
        return lines;
    }

    /// <summary>Model faults by kind: the calls each ended (after retries) and the faults each the retry hid.</summary>
    private static ReportTable Faults(ModelUsage u) => new("Model faults",
        u.Faults.Count == 0
            ? "No model faults were recorded."
            : $"{u.FailedCalls} of {u.Total.Calls} model calls failed after retries; retried: faults the retry hid (the call was asked again). " +
              "no_code_block calls still returned their text.",
        ["kind", "calls failed", "retried"],
        u.Faults.Select(f => new[] { f.Kind, $"{f.Failed}", $"{f.Retried}" }).ToList());

    /// <summary>
    /// u(s), the baseline at the verdict's reading and at best-of-N, the final improver, and the
    /// difference the verdict tests: everything the verdict line says, with both splits.
    /// </summary>
    private static ReportTable Baseline(RunReport report, BaselineReport b)
    {
        var (usVal, usTest) = report.Us;
        int tasks = report.SeedUtilities.Count;
        List<string[]> rows = [[tasks > 1 ? $"u(s): the seed solutions (mean over {tasks} tasks)" : "u(s): the seed solution", Number(usVal), Number(usTest)]];
        rows.Add(["baseline: seed improver, mean per run (the verdict's reading)", Mean(b.Val), Mean(b.Test)]);
        if (b.Best is { } best) rows.Add(["baseline: best-of-N solution (one, chosen by val)", Number(best.Val), Number(best.Test)]);
        if (report.Final is { } final) rows.Add([$"final improver (t={final.T})", Mean(final.Val), Mean(final.Test)]);
        if (report.Verdict?.Difference is { } d) rows.Add(["final − baseline per run (95% Welch t interval)", "–", d.ToString()]);
        string? note = usVal is null || usTest is null
            ? "u(s) is the seed solution's utility as this run scored it; –: not scored by this run (runs stored before u(s) was scored on both splits have validation only)."
            : null;
        return new ReportTable("Baseline",
            $"The seed improver repeated at the model budget the loop spent ({b.Method}): {b.Runs} runs, {b.Completions?.ToString() ?? "?"} completions, " +
            $"{b.UtilityCalls?.ToString() ?? "?"} utility calls. The verdict compares the final improver's runs with the baseline's runs, mean per run; " +
            "the best-of-N solution is one solution, the best of all the baseline's runs by validation. Mean [95% t interval, clipped to 0–1] n.",
            ["", "val", "test"], rows, note);
    }

    /// <summary>Usage per recursion level and in total from the ledger, then a STOP run's loop and baseline as the run counted them.</summary>
    private static ReportTable Usage(RunReport report)
    {
        var u = report.Usage;
        var path = u.CriticalPath is { } rounds
            ? $" Critical path: {rounds} model round trips one after another, of {u.Total.Calls} calls" +
              (u.Phases.All(p => p.CriticalPath is not null) && u.Phases.Count > 0 ? $" ({string.Join(", ", u.Phases.Select(p => $"{p.Phase} {p.CriticalPath}"))})" : "") +
              "; against a slow model the wall time follows it."
            : "";
        var phases = u.Phases.Count > 0
            ? $" The last rows split the run by phase, as the run counted it: the self-improvement loop, then the {u.Phases[^1].Phase} (run − loop); tokens and cost are not split."
            : "";
        var rows = u.ByLevel.Select(l => (Label: $"level {l.Level}", l.Totals)).Append((Label: "total", Totals: u.Total))
            .Select(r => new[] { r.Label, $"{r.Totals.Calls}", $"{r.Totals.Completions}", $"{r.Totals.TokensIn}", $"{r.Totals.TokensOut}", u.Priced ? Money(r.Totals.CostUsd) : "–" })
            .Concat(u.Phases.Select((p, i) => new[] { i == 0 ? p.Phase : $"{p.Phase} (run − loop)", $"{p.Calls}", $"{p.Completions}", "–", "–", "–" }))
            .ToList();
        var estimated = u.TokensEstimated ? " Tokens are estimated (one per four characters): the model counts none." : "";
        var money = u.Priced ? "" : " No cost: the model has no price (built in for common OpenAI and Anthropic models; set one under prices in the configuration).";
        var tokens = u.TokensEstimated ? " (estimated)" : "";
        return new ReportTable("Model usage", $"From the ledger: {ModelUsageQuery.Window(report.Run)}.{path}{phases}{estimated}{money}",
            ["", "calls", "completions", $"tokens in{tokens}", $"tokens out{tokens}", "cost (USD)"], rows);
    }

    /// <summary>The lineage tree flattened into rows, depth shown by leading dots; the iterations table above has the reasons.</summary>
    private static ReportTable Lineage(Lineage l)
    {
        var rows = new List<string[]>();
        void Add(LineageNode n, int depth)
        {
            var first = n.Iterations.FirstOrDefault();
            rows.Add([string.Concat(Enumerable.Repeat("· ", depth)) + Hash(n.Hash), n.Role,
                n.Iterations.Count == 0 ? "–" : string.Join(", ", n.Iterations.Select(i => i.T)),
                Mean(first?.Val), Mean(first?.Test), $"{n.Solutions}", Solution(n.BestSolution)]);
            foreach (var c in n.Children) Add(c, depth + 1);
        }
        foreach (var root in l.Roots) Add(root, 0);
        var best = l.Best is { } b ? $"Best solution by validation utility: {Solution(b)}{(b.Improver is { } by ? $", by improver {Hash(by)}" : "")}." : "No solution was evaluated on validation.";
        return new ReportTable("Lineage",
            $"Each improver under the improver that produced it; a proposal was scored by û inside an improver run but not returned. " +
            $"{l.Improvers} improvers, {l.Solutions} solutions. {best}",
            ["improver", "role", "t", "val û", "test û", "solutions", "best solution (val, test)"], rows,
            l.Unattributed > 0 ? $"{l.Unattributed} solution(s) not attributed to an improver: the task's seed solution, or solutions stored before solutions recorded their improver." : null);
    }

    private static string Solution(ScoredSolution? s) => s is null ? "–" : $"{Hash(s.Hash)} ({Number(s.Val)}, {Number(s.Test)})";

    /// <summary>STOP's Table 1 layout, task, u(s), û(I₀), û(I_T): the test split, as the paper reports, then validation.</summary>
    private static IEnumerable<ReportTable> Transfer(TransferReport t)
    {
        string caption = $"Improver {Hash(t.Improver)} applied unchanged to other tasks, beside the seed improver at the same budget. " +
                         "u(s): utility of the task's seed solution; û(I₀): meta-utility of the seed improver; û(I_T): of the improved improver; mean [95% t interval, clipped to 0–1] n.";
        string[] columns = ["task", "u(s)", "û(I₀) seed improver", "û(I_T) improved improver"];
        yield return new ReportTable($"Transfer (run {t.RunId}), test split", caption, columns,
            t.Rows.Select(r => new[] { r.Task, Number(r.UsTest), Mean(r.SeedTest), Mean(r.ImprovedTest) }).ToList());
        yield return new ReportTable($"Transfer (run {t.RunId}), validation split", caption, columns,
            t.Rows.Select(r => new[] { r.Task, Number(r.UsVal), Mean(r.SeedVal), Mean(r.ImprovedVal) }).ToList());
    }
}
