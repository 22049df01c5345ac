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
        AnsiConsole.Write(new Rule(Markup.Escape($"run {run.Id}")).LeftJustified());
        AnsiConsole.Write(new Text($"{run.Kind}, {run.Status}; task {report.Task ?? "–"}; model {report.Model ?? "–"}; created {run.CreatedAt:u}" +
                                   (run.FinishedAt is { } f ? $", finished {f:u}" : "") + "\n"));
        foreach (var section in ReportSections.Of(report))
        {
            var table = new Table
            {
                Title = new TableTitle(Markup.Escape(section.Title)),
                Caption = new TableTitle(Markup.Escape(section.Note is { } note ? $"{section.Caption}\n{note}" : section.Caption)),
            };
            foreach (var c in section.Columns) table.AddColumn(new TableColumn(new Text(c)));
            // Text, not markup: a reason or a task id with brackets must print as it is.
            foreach (var row in section.Rows) table.AddRow(row.Select(c => (IRenderable)new Text(c)));
            AnsiConsole.Write(table);
        }
    }
}
