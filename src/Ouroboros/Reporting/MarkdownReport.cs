using Ouroboros.Runs;
using System.Text;

namespace Ouroboros.Reporting;

/// <summary>
/// The report as Markdown (<c>report.md</c>): for a STOP run the verdict as its first line (then the
/// best-of-N reading), a header naming the run, then each of
/// <see cref="ReportSections"/> as a section with its caption, a table and its note.
/// </summary>
public static class MarkdownReport
{
    public static string Render(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        var run = report.Run;
        // A report opens with its warning, if many model calls failed, then a STOP report's verdict, so the answer is the first thing read.
        var headline = ReportSections.Headline(report);
        for (int i = 0; i < headline.Count; i++) md.AppendLine(i == 0 ? $"**{Inline(headline[i])}**" : Inline(headline[i])).AppendLine();
        md.AppendLine($"# Run {run.Id}").AppendLine();
        md.AppendLine($"- kind: {run.Kind}, status: {report.State.Text}");
        if (report.Task is not null) md.AppendLine($"- task: {report.Task}");
        if (report.Model is not null) md.AppendLine($"- model: {report.Model}");
        md.AppendLine($"- created: {run.CreatedAt:u}{(run.FinishedAt is { } f ? $", finished: {f:u}" : "")}").AppendLine();
        foreach (var table in ReportSections.Of(report))
        {
            md.AppendLine($"## {table.Title}").AppendLine().AppendLine(table.Caption).AppendLine();
            md.AppendLine("| " + string.Join(" | ", table.Columns) + " |");
            md.AppendLine("|" + string.Concat(table.Columns.Select(_ => " --- |")));
            foreach (var row in table.Rows) md.AppendLine("| " + string.Join(" | ", row.Select(Cell)) + " |");
            md.AppendLine();
            if (table.Note is { } note) md.AppendLine(note).AppendLine();
        }
        return md.ToString();
    }

    // Markdown would read a run of asterisks or underscores in the line as emphasis.
    private static string Inline(string s) => s.Replace("*", "\\*").Replace("_", "\\_");

    // A pipe or a newline in a cell (a rejection reason, say) would break the table.
    private static string Cell(string s) => s.Replace("|", "\\|").Replace("\r", " ").Replace("\n", " ");
}
