using System.Text;
using static Ouroboros.Reporting.ReportFormat;

namespace Ouroboros.Reporting;

/// <summary>
/// The report as Markdown (<c>report.md</c>): the run, the iterations, the baseline and adoption test,
/// STOP's Table 1 for transfers, STOP's unsandboxing table for audits, the safety summary and the
/// model usage. Cells read as "mean [95% interval] n"; the tables' captions say so once.
/// </summary>
public static class MarkdownReport
{
    public static string Render(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        var run = report.Run;
        md.AppendLine($"# Run {run.Id}").AppendLine();
        md.AppendLine($"- kind: {run.Kind}, status: {run.Status}");
        if (report.Task is not null) md.AppendLine($"- task: {report.Task}");
        if (report.Model is not null) md.AppendLine($"- model: {report.Model}");
        md.AppendLine($"- created: {run.CreatedAt:u}{(run.FinishedAt is { } f ? $", finished: {f:u}" : "")}").AppendLine();

        if (report.Iterations.Count > 0) Iterations(md, report);
        if (report.Baseline is { } b)
        {
            md.AppendLine("## Baseline").AppendLine();
            md.AppendLine($"The seed improver repeated at the run's budget ({b.Method}): {b.Runs} runs, {b.Completions} completions, {b.UtilityCalls} utility calls.").AppendLine();
            Table(md, ["", "val", "test"], [["baseline", Mean(b.Val), Mean(b.Test)],
                .. report.Final is { } final ? new[] { new[] { $"final improver (t={final.T})", Mean(final.Val), Mean(final.Test) } } : []]);
        }
        foreach (var t in report.Transfers) Transfer(md, t);
        if (report.Audit is { } a) Audit(md, a);
        Safety(md, report);
        Usage(md, report);
        return md.ToString();
    }

    private static void Iterations(StringBuilder md, RunReport report)
    {
        md.AppendLine("## Iterations").AppendLine();
        md.AppendLine("Meta-utility û of each iteration's improver: mean [95% t interval] over n runs. Validation selects; test is only reported.").AppendLine();
        Table(md, ["t", "improver", "val û", "test û", "adopted", "reason"],
            report.Iterations.Select(i => new[] { $"{i.T}", Hash(i.ImproverHash), Mean(i.Val), Mean(i.Test), YesNo(i.Adopted), i.Reason }));
        if (report.AdoptionTest is { } test) md.AppendLine($"Adoption test: {test}").AppendLine();
    }

    /// <summary>STOP's Table 1 layout: task, u(s), û(I₀), û(I_T), test split first as the paper reports it, then validation.</summary>
    private static void Transfer(StringBuilder md, TransferReport t)
    {
        md.AppendLine($"## Transfer (run {t.RunId})").AppendLine();
        md.AppendLine($"Improver {Hash(t.Improver)} applied unchanged to other tasks, next to the seed improver at the same budget. " +
                      "u(s): utility of the task's seed solution; û(I₀): meta-utility of the seed improver; û(I_T): of the improved improver; " +
                      "mean [95% t interval] over n runs.").AppendLine();
        foreach (var (split, label) in new[] { ("test", "Test split"), ("val", "Validation split") })
        {
            md.AppendLine($"{label}:").AppendLine();
            Table(md, ["task", "u(s)", "û(I₀) seed improver", "û(I_T) improved improver"], t.Rows.Select(r => split == "test"
                ? new[] { r.Task, Number(r.UsTest), Mean(r.SeedTest), Mean(r.ImprovedTest) }
                : new[] { r.Task, Number(r.UsVal), Mean(r.SeedVal), Mean(r.ImprovedVal) }));
        }
    }

    /// <summary>STOP's unsandboxing-table layout: behaviour, count of N, rate, Wilson 95% interval.</summary>
    private static void Audit(StringBuilder md, AuditReport a)
    {
        md.AppendLine("## Safety audit").AppendLine();
        md.AppendLine($"{a.Samples} sampled rewrites of the sandbox-flavoured seed improver, {(a.Warning ? "with" : "without")} the \"do not change\" warning. Rates with Wilson 95% intervals.").AppendLine();
        Table(md, ["behaviour", "count/N", "rate", "95% interval"],
            a.Rows.Select(r => new[] { r.Behaviour, Count(r.Rate), Rate(r.Rate), Wilson(r.Rate) }));
    }

    private static void Safety(StringBuilder md, RunReport report)
    {
        md.AppendLine("## Safety events").AppendLine();
        int total = report.Safety.Sum(s => s.Events);
        md.AppendLine(total == 0 ? "No safety events were recorded." : $"{total} safety events were recorded.").AppendLine();
        Table(md, ["kind", "events", "distinct programs"], report.Safety.Select(s => new[] { s.Kind, $"{s.Events}", $"{s.Programs}" }));
    }

    private static void Usage(StringBuilder md, RunReport report)
    {
        md.AppendLine("## Model usage").AppendLine();
        md.AppendLine($"From the ledger: {ModelUsageQuery.Window(report.Run)}.").AppendLine();
        var rows = report.Usage.ByLevel.Select(l => (Label: $"level {l.Level}", l.Totals)).Append((Label: "total", Totals: report.Usage.Total));
        Table(md, ["", "calls", "completions", "tokens in", "tokens out", "cost (USD)"],
            rows.Select(r => new[] { r.Label, $"{r.Totals.Calls}", $"{r.Totals.Completions}", $"{r.Totals.TokensIn}", $"{r.Totals.TokensOut}", Money(r.Totals.CostUsd) }));
    }

    private static void Table(StringBuilder md, string[] header, IEnumerable<string[]> rows)
    {
        md.AppendLine("| " + string.Join(" | ", header) + " |");
        md.AppendLine("|" + string.Concat(header.Select(_ => " --- |")));
        foreach (var row in rows) md.AppendLine("| " + string.Join(" | ", row.Select(Cell)) + " |");
        md.AppendLine();
    }

    // A pipe or a newline in a reason would break the table.
    private static string Cell(string s) => s.Replace("|", "\\|").Replace("\r", " ").Replace("\n", " ");
}
