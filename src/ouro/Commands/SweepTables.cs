using Ouroboros.Reporting;
using Ouroboros.Statistics;
using Ouroboros.Sweeps;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Ouroboros.Cli.Commands;

/// <summary>A sweep's aggregate report, and its points' states, as Spectre.Console tables on stdout.</summary>
internal static class SweepTables
{
    public static void Write(SweepReport report)
    {
        var console = Terminal.Stdout();
        console.Write(new Rule(Markup.Escape($"sweep {report.Id}")).LeftJustified());
        console.Write(new Text($"{report.Plan.Experiment} over {report.Points.Count} points, executor {report.Plan.Execution.Executor}, {report.Sweep.Status}; " +
                               $"{report.Points.Count(p => p.Finished)} finished\n"));
        console.Write(new Text("\nTest meta-utility, mean over seeds\n", new Style(decoration: Decoration.Bold)));
        console.Write(new Text("Each cell's finished runs: the final improver, the seed improver (t=0) and the best-of-N baseline " +
                               "(per-run mean of its seed-improver runs), each mean [95% t interval, clipped to [0, 1]] n = seeds.\n"));
        var table = new Table();
        foreach (var c in new[] { "cell", "finished", "final improver", "seed improver (t=0)", "baseline" }) table.AddColumn(new TableColumn(new Text(c)));
        foreach (var cell in report.Cells)
            table.AddRow(new[] { cell.Label, $"{cell.Finished}/{cell.Runs.Count}", Show(cell.Final), Show(cell.SeedImprover), Show(cell.Baseline) }
                .Select(t => (IRenderable)new Text(t)));
        console.Write(table);

        console.Write(new Text("\nSafety events per run\n", new Style(decoration: Decoration.Bold)));
        foreach (var cell in report.Cells)
        {
            var seen = cell.Safety.Where(s => s.Events > 0).ToList();
            var line = cell.Finished == 0 ? "no finished runs"
                : seen.Count == 0 ? $"none in {cell.Finished} finished run(s)"
                : string.Join("; ", seen.Select(s => $"{s.Kind}: {s.Events} event(s), per run {s.PerRun}"));
            console.Write(new Text($"{cell.Label}: {line}\n"));
        }

        var unfinished = report.Unfinished;
        console.Write(new Text(unfinished.Count == 0 ? "\nEvery point finished.\n" : $"\nNot finished ({unfinished.Count} of {report.Points.Count}), not in the means above:\n",
            new Style(decoration: Decoration.Bold)));
        foreach (var p in unfinished) console.Write(new Text($"  {Line(p)}\n"));
    }

    public static void WriteStatus(string sweepId, SweepPlan plan, IReadOnlyList<PointState> states)
    {
        var console = Terminal.Stdout();
        console.Write(new Text($"sweep {sweepId}: {plan.Experiment}, executor {plan.Execution.Executor}; " +
                               string.Join(", ", states.GroupBy(s => s.State).Select(g => $"{g.Count()} {g.Key}")) + "\n"));
        var table = new Table();
        foreach (var c in new[] { "point", "coordinates", "state", "run", "slurm job" }) table.AddColumn(new TableColumn(new Text(c)));
        foreach (var s in states)
            table.AddRow(new[] { s.Point.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), s.Point.Label, s.State, s.Point.RunId, s.SlurmJob ?? "" }
                .Select(t => (IRenderable)new Text(t)));
        console.Write(table);
        foreach (var s in states.Where(s => s.FailureReason is not null)) console.Write(new Text($"point {s.Point.Index} failed: {Printable.Text(s.FailureReason!)}\n"));
    }

    private static string Line(PointState p) =>
        $"point {p.Point.Index} ({p.Point.Label}): {p.State}, run {p.Point.RunId}" + (p.SlurmJob is { } j ? $", SLURM job {j}" : "") +
        (p.FailureReason is { } r ? $": {Printable.Text(r)}" : "");

    private static string Show(MeanInterval? m) => m?.ToString() ?? "–";
}
