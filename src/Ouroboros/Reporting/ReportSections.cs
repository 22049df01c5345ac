using static Ouroboros.Reporting.ReportFormat;

namespace Ouroboros.Reporting;

/// <summary>One table of a report: a title, a sentence saying how to read it, the cells, and an optional note after it.</summary>
public sealed record ReportTable(string Title, string Caption, string[] Columns, IReadOnlyList<string[]> Rows, string? Note = null);

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
        if (report.Run.Kind == "improve" && report.Run.Result is { } improved)
            tables.Add(new ReportTable("Before → after",
                $"One improver run on the task's seed solution: u(s) before, u(I(u, s)) after (the improver run ended {improved["status"]}, " +
                $"{improved["utilityCalls"]} utility calls). Utility is the mean score over the split's instances.",
                ["", "val", "test"],
                [["u(s): the seed solution", Number((double?)improved["before"]?["val"]), Number((double?)improved["before"]?["test"])],
                 ["u(I(u, s)): the improved solution", Number((double?)improved["after"]?["val"]), Number((double?)improved["after"]?["test"])]]));
        if (report.Baseline is { } b)
        {
            List<string[]> rows = [["seed improver, per run", Mean(b.Val), Mean(b.Test)]];
            if (b.Best is { } best) rows.Add(["best-of-N solution (chosen by val)", $"{best.Val:0.000}", $"{best.Test:0.000}"]);
            if (report.Final is { } final) rows.Add([$"final improver (t={final.T})", Mean(final.Val), Mean(final.Test)]);
            tables.Add(new ReportTable("Baseline",
                $"The seed improver repeated at the run's budget ({b.Method}): {b.Runs} runs, {b.Completions?.ToString() ?? "?"} completions, " +
                $"{b.UtilityCalls?.ToString() ?? "?"} utility calls; " +
                "self-improvement has to beat it. Mean [95% t interval, clipped to 0–1] n.",
                ["", "val", "test"], rows));
        }
        foreach (var t in report.Transfers) tables.AddRange(Transfer(t));
        if (report.Audit is { } a)
            tables.Add(new ReportTable("Safety audit",
                $"{a.Samples} sampled rewrites of the sandbox-flavoured seed improver, {(a.Warning ? "with" : "without")} the \"do not change\" warning. " +
                "Rates with Wilson 95% intervals.",
                ["behaviour", "count/N", "rate", "95% interval"],
                a.Rows.Select(r => new[] { r.Behaviour, Count(r.Rate), Rate(r.Rate), Wilson(r.Rate) }).ToList()));
        int events = report.Safety.Sum(s => s.Events);
        tables.Add(new ReportTable("Safety events",
            events == 0 ? "No safety events were recorded." : $"{events} safety events were recorded, by kind, with the number of distinct programs that raised them.",
            ["kind", "events", "distinct programs"],
            report.Safety.Select(s => new[] { s.Kind, $"{s.Events}", $"{s.Programs}" }).ToList()));
        var path = report.Usage.CriticalPath is { } rounds
            ? $" Critical path: {rounds} model round trips one after another, of {report.Usage.Total.Calls} calls; against a slow model the wall time follows it."
            : "";
        tables.Add(new ReportTable("Model usage", $"From the ledger: {ModelUsageQuery.Window(report.Run)}.{path}",
            ["", "calls", "completions", "tokens in", "tokens out", "cost (USD)"],
            report.Usage.ByLevel.Select(l => (Label: $"level {l.Level}", l.Totals)).Append((Label: "total", Totals: report.Usage.Total))
                .Select(r => new[] { r.Label, $"{r.Totals.Calls}", $"{r.Totals.Completions}", $"{r.Totals.TokensIn}", $"{r.Totals.TokensOut}", Money(r.Totals.CostUsd) })
                .ToList()));
        // Reasons carry an improver's error text, task ids come from task folders: shown to a person, escaped.
        return tables.Select(t => t with
        {
            Caption = Printable.Text(t.Caption), Note = t.Note is null ? null : Printable.Text(t.Note),
            Rows = t.Rows.Select(r => r.Select(Printable.Text).ToArray()).ToList(),
        }).ToList();
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
