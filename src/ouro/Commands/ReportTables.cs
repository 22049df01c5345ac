using Ouroboros.Runs;
using Ouroboros.Reporting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Ouroboros.Cli.Commands;

/// <summary>A <see cref="RunReport"/> as Spectre.Console tables: the same <see cref="ReportSections"/> as report.md.</summary>
internal static class ReportTables
{
    public static void Write(RunReport report)
    {
        var run = report.Run;
        var console = Terminal.Stdout();
        // A report opens with its warning, if many model calls failed, then a STOP report's verdict: the answer before the evidence.
        var headline = ReportSections.Headline(report);
        for (int i = 0; i < headline.Count; i++)
            console.Write(new Text(headline[i] + "\n", i == 0 ? new Style(decoration: Decoration.Bold) : Style.Plain));
        console.Write(new Rule(Markup.Escape($"run {run.Id}")).LeftJustified());
        console.Write(new Text($"{run.Kind}, {report.State.Text}; task {report.Task ?? "–"}; model {report.Model ?? "–"}; created {run.CreatedAt:u}" +
                                   (run.FinishedAt is { } f ? $", finished {f:u}" : "") + "\n"));
        foreach (var section in ReportSections.Of(report))
        {
            // Title and caption as text above the table, left-aligned: Spectre's own captions are
            // centred and squeezed to the table's width, which makes long sentences hard to read.
            console.Write(new Text("\n" + section.Title + "\n", new Style(decoration: Decoration.Bold)));
            console.Write(new Text(section.Caption + "\n"));
            var table = new Table();
            foreach (var c in section.Columns) table.AddColumn(new TableColumn(new Text(c)));
            // Text, not markup: a reason or a task id with brackets must print as it is.
            foreach (var row in section.Rows) table.AddRow(row.Select(c => (IRenderable)new Text(c)));
            console.Write(table);
            if (section.Note is { } note) console.Write(new Text(note + "\n"));
        }
    }
}
