using System.CommandLine;
using System.Text.Json;
using Ouroboros.Reporting;
using Ouroboros.Store;

namespace Ouroboros.Cli.Commands;

/// <summary>
/// <c>ouro report RUN [--db PATH] [--out DIR] [--json]</c>, or <c>ouro report --sweep ID</c> for a sweep's aggregate: one run's report as terminal tables; with
/// <c>--out</c> also <c>meta-utility.svg</c>, <c>report.md</c> and <c>report.json</c>; with <c>--json</c> the
/// report object as the last line of stdout and everything else on stderr. Reads the store, never writes it.
/// </summary>
public static class ReportCommand
{
    public const string PlotFile = "meta-utility.svg", MarkdownFile = "report.md", JsonFile = "report.json";

    public static Command Create()
    {
        var runId = new Argument<string?>("run") { Description = "The run's id, or a unique prefix of it (see 'ouro runs')", Arity = ArgumentArity.ZeroOrOne };
        var sweep = new Option<string?>("--sweep") { Description = "Show a sweep's aggregate instead: per cell, means over seeds with n and 95% intervals, safety rates, unfinished points" };
        var db = StoreAccess.DbOption();
        var outDir = new Option<DirectoryInfo?>("--out") { Description = $"Also write {PlotFile}, {MarkdownFile} and {JsonFile} into this folder" };
        var json = new Option<bool>("--json") { Description = "Print the report as one JSON object on the last line of stdout" };
        var cmd = new Command("report", "Show a run's report: iterations, baseline, transfer, audit, safety events and model usage.") { runId, sweep, db, outDir, json };
        cmd.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(db)!;
            var asJson = parse.GetValue(json);
            if (parse.GetValue(sweep) is { } sweepRef)
            {
                if (parse.GetValue(runId) is not null) throw new UserError("give a run or --sweep ID, not both");
                if (parse.GetValue(outDir) is not null) throw new UserError("--out writes one run's files; a sweep's report is printed (use --json to keep it)");
                using var sweepStore = StoreAccess.OpenForReading(path);
                return SweepCommand.PrintReport(sweepStore, SweepCommand.Plan(sweepStore, RunReference.Resolve(sweepStore, sweepRef, path), path).SweepId, asJson);
            }
            if (parse.GetValue(runId) is null) throw new UserError("name a run (see 'ouro runs'), or a sweep with --sweep ID");
            RunReport report;
            IReadOnlyList<(string File, string Svg)> plots;
            using (var store = StoreAccess.OpenForReading(path))
            {
                report = RunReportBuilder.Build(store, RunReference.Resolve(store, parse.GetValue(runId)!, path))!;
                // An experiment's own figures, drawn while its tables can be read.
                plots = parse.GetValue(outDir) is null ? [] : ReportSectionCatalog.For(report.Kind)?.Plots(report.Run, store) ?? [];
            }

            // Stdout carries the report (tables, or the JSON object); status lines go where a person reads them.
            var human = asJson ? Console.Error : Console.Out;
            if (RunFailures.Reason(report.Run) is { } reason) human.WriteLine($"run {report.Id} failed: {Printable.Text(reason)}");
            if (parse.GetValue(outDir) is { } dir) await WriteFiles(report, plots, dir, Console.Error, ct);
            if (asJson) Console.WriteLine(ReportJson.ToJson(report).ToJsonString());
            else ReportTables.Write(report);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static async Task WriteFiles(RunReport report, IReadOnlyList<(string File, string Svg)> plots, DirectoryInfo dir, TextWriter human, CancellationToken ct)
    {
        var written = new List<string>();
        await OutputFolder.WriteAsync(dir, async () =>
        {
            if (report.Iterations.Count > 0)
            {
                await File.WriteAllTextAsync(Path.Combine(dir.FullName, PlotFile), SvgPlot.Render(report), ct);
                written.Add(PlotFile);
            }
            else if (plots.Count > 0)
            {
                foreach (var (file, svg) in plots)
                {
                    await File.WriteAllTextAsync(Path.Combine(dir.FullName, file), svg, ct);
                    written.Add(file);
                }
            }
            else human.WriteLine($"ouro: run {report.Id} is a {report.Kind} run with no iterations; no {PlotFile} written.");
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, MarkdownFile), MarkdownReport.Render(report), ct);
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, JsonFile),
                ReportJson.ToJson(report).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n", ct);
            written.Add(MarkdownFile);
            written.Add(JsonFile);
        });
        human.WriteLine($"wrote {string.Join(", ", written)} to {dir.FullName}");
    }
}
