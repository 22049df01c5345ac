using Ouroboros.Stop;
using System.Text.Json.Nodes;
using Ouroboros.Reporting;
using Ouroboros.Store;
using static Ouroboros.Tests.Reporting.ReportStore;

namespace Ouroboros.Tests.Reporting;

/// <summary><see cref="LineageQuery"/> over the hand-made store: the tree, the counts, the best solutions, and what a report shows of it.</summary>
public sealed class LineageQueryTests : IDisposable
{
    private readonly RunStore _store = Filled();

    public void Dispose() => _store.Dispose();

    private Lineage Lineage(string run = ReportStore.Stop) => LineageQuery.ForRun(_store, run)!;

    [Fact]
    public void The_seed_improver_is_the_root_and_each_improver_sits_under_the_one_that_produced_it()
    {
        var root = Assert.Single(Lineage().Roots);
        Assert.Equal((Seed, "seed", 0), (root.Hash, root.Role, Assert.Single(root.Iterations).T));
        // Candidates in the loop's order, before a proposal stored earlier than them.
        Assert.Equal([Improved, Proposal], root.Children.Select(c => c.Hash));
        Assert.Equal(["adopted", "proposal"], root.Children.Select(c => c.Role));
        var rejected = Assert.Single(root.Children[0].Children);
        Assert.Equal((Rejected, "rejected", 2), (rejected.Hash, rejected.Role, rejected.Iterations.Single().T));
        Assert.Equal("val 0.550 does not beat 0.600 | kept t=1", rejected.Iterations.Single().Reason);
        Assert.Equal(5, rejected.Iterations.Single().Val.N);
    }

    [Fact]
    public void Solutions_are_counted_per_improver_and_the_best_is_chosen_by_validation_alone()
    {
        var root = Lineage().Roots[0];
        var improved = root.Children[0];
        Assert.Equal((1, 2, 2, 0), (root.Solutions, improved.Solutions, improved.Children[0].Solutions, root.Children[1].Solutions));
        // BestByVal and TiedLater share 0.7 on validation; TiedLater's higher test utility must not decide.
        Assert.Equal(new ScoredSolution(BestByVal, Improved, 0.7, 0.65), improved.BestSolution);
        Assert.Equal(new ScoredSolution(ByRejected, Rejected, 0.6, null), improved.Children[0].BestSolution);
    }

    [Fact]
    public void The_run_names_its_best_solution_final_improver_and_what_it_cannot_attribute()
    {
        var lineage = Lineage();
        Assert.Equal((4, 6, 1), (lineage.Improvers, lineage.Solutions, lineage.Unattributed)); // the seed solution has no producer
        Assert.Equal(Improved, lineage.Final);
        Assert.Equal(BestByVal, lineage.Best!.Hash);
    }

    [Fact]
    public void A_run_that_stored_nothing_new_still_shows_what_it_scored_and_evaluated()
    {
        // Programs are content-addressed: a second run with the same seed finds them all stored by the first.
        var records = _store;
        records.Journal.CreateRun("stop-again", "stop", new JsonObject { ["task"] = "lpn" });
        new IterationTable(records).PutIteration(new IterationRow("stop-again", 0, Seed, 0.5, 0.5, [0.5], [0.5], true, "the seed improver I₀"));
        records.Evaluations.PutEvaluation(new EvaluationRow("stop-again", BySeed, "lpn", "val", "1+10", 0.55, [], [], 1));
        var lineage = LineageQuery.ForRun(_store, "stop-again")!;
        var root = Assert.Single(lineage.Roots);
        Assert.Equal((Seed, 1, 0.55), (root.Hash, root.Solutions, root.BestSolution!.Val)); // this run's utility, not the first run's
        Assert.Empty(root.Children);
    }

    [Fact]
    public void Parent_links_that_loop_are_shown_not_lost_and_an_unknown_run_is_null()
    {
        var records = _store;
        records.Journal.CreateRun("odd", "improve", new JsonObject());
        records.Programs.PutProgram(new string('7', 64), "improver", "x", new string('8', 64), "odd");
        records.Programs.PutProgram(new string('8', 64), "improver", "y", new string('7', 64), "odd");
        var lineage = LineageQuery.ForRun(_store, "odd")!;
        Assert.Equal(2, lineage.Improvers);
        var top = Assert.Single(lineage.Roots);
        Assert.Single(top.Children);
        Assert.Null(LineageQuery.ForRun(_store, "no-such-run"));
    }

    [Fact]
    public void The_report_carries_the_lineage_as_a_table_and_as_json_for_runs_with_iterations()
    {
        var report = RunReportBuilder.Build(_store, ReportStore.Stop)!;
        var md = MarkdownReport.Render(report).Split('\n');
        Assert.Contains("## Lineage", md);
        Assert.Contains("| aaaaaaaaaaaa | seed | 0 | 0.500 [0.482, 0.518] n=5 | 0.500 [0.456, 0.544] n=5 | 1 | dd1111111111 (0.500, 0.500) |", md);
        Assert.Contains("| · · cccccccccccc | rejected | 2 | 0.550 [0.506, 0.594] n=5 | 0.700 n=1 | 2 | 444444444444 (0.600, –) |", md);
        Assert.Contains("| · eeeeeeeeeeee | proposal | – | – | – | 0 | – |", md);
        var json = ReportJson.ToJson(report)["lineage"]!;
        Assert.Equal(Seed, (string)json["tree"]![0]!["improver"]!);
        Assert.Equal(BestByVal, (string)json["best"]!["solution"]!);
        Assert.Null(ReportJson.ToJson(RunReportBuilder.Build(_store, ReportStore.Audit)!)["lineage"]);
    }
}
