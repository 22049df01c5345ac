using Ouroboros.Runs;
using System.CommandLine;
using Ouroboros.Reporting;
using Spectre.Console;
using static Ouroboros.Runs.ReportFormat;

namespace Ouroboros.Cli.Commands;

/// <summary>
/// <c>ouro lineage RUN [--db PATH] [--json]</c>: a run's improvers as a tree, each under the improver
/// that produced it, with its iterations, the solutions it produced and the best of them
/// (<see cref="LineageQuery"/>). Reads the store, never writes it.
/// </summary>
public static class LineageCommand
{
    public static Command Create()
    {
        var runId = new Argument<string>("run") { Description = "The run's id, or a unique prefix of it (see 'ouro runs')" };
        var db = StoreAccess.DbOption();
        var json = new Option<bool>("--json") { Description = "Print the lineage as one JSON object on the last line of stdout" };
        var cmd = new Command("lineage", "Show a run's improvers as a tree: which improver produced which, adopted or rejected, and their solutions.") { runId, db, json };
        cmd.SetAction((parse, _) =>
        {
            var path = parse.GetValue(db)!;
            Lineage lineage;
            using (var store = StoreAccess.OpenForReading(path))
                lineage = LineageQuery.ForRun(store, RunReference.Resolve(store, parse.GetValue(runId)!, path))!;
            if (parse.GetValue(json)) Console.WriteLine(LineageJson.ToJson(lineage).ToJsonString());
            else Write(lineage, path);
            return Task.FromResult(ExitCodes.Ok);
        });
        return cmd;
    }

    private static void Write(Lineage l, string path)
    {
        var console = Terminal.Stdout();
        var summary = $"run {l.RunId}: {l.Improvers} improvers, {l.Solutions} solutions" +
                      (l.Unattributed > 0 ? $" ({l.Unattributed} not attributed to an improver: the task's seed solution, or stored before solutions recorded their improver)" : "");
        var best = l.Best is { } b
            ? $"best solution by validation utility: {Hash(b.Hash)} (val {Number(b.Val)}, test {Number(b.Test)})" + (b.Improver is { } by ? $", by improver {Hash(by)}" : "")
            : "no solution was evaluated on validation";
        // Text, never markup: reasons quote an improver's errors, and are escaped for the terminal (Printable).
        var tree = new Tree(new Text(Printable.Text(summary + "\n" + best)));
        foreach (var root in l.Roots) Add(tree.AddNode(Label(root)), root);
        if (l.Roots.Count == 0) tree.AddNode(new Text("no improvers stored for this run"));
        console.Write(tree);
        console.Write(new Text($"ouro show {Hash(l.Best?.Hash ?? "HASH")} --db {path} prints a program; ouro show {l.RunId}{ProgramReference.BestSuffix} the best solution.\n"));
    }

    private static void Add(TreeNode parent, LineageNode node)
    {
        foreach (var child in node.Children) Add(parent.AddNode(Label(child)), child);
    }

    private static Text Label(LineageNode n)
    {
        var lines = new List<string> { $"{Hash(n.Hash)}  {Role(n.Role)}" };
        foreach (var i in n.Iterations)
            lines.Add($"t={i.T} {(i.Adopted ? "adopted" : "not adopted")}  val û {Mean(i.Val)}  test û {Mean(i.Test)}  {i.Reason}");
        lines.Add(n.Solutions == 0 ? "no solutions" :
            $"{n.Solutions} solution{(n.Solutions == 1 ? "" : "s")}" + (n.BestSolution is { } s ? $", best {Hash(s.Hash)} (val {Number(s.Val)}, test {Number(s.Test)})" : ""));
        return new Text(Printable.Text(string.Join("\n", lines)));
    }

    private static string Role(string role) => role switch
    {
        "seed" => "seed improver I₀",
        "proposal" => "proposal (scored by û inside an improver run, not returned)",
        _ => role,
    };
}
