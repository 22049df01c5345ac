using Ouroboros.Reporting;

namespace Ouroboros.Tests.Reporting;

/// <summary>report.md: the iterations, baseline, transfer (Table 1), audit and safety tables, row by row.</summary>
public sealed class MarkdownReportTests : IDisposable
{
    private readonly Ouroboros.Store.RunStore _store = ReportStore.Filled();

    public void Dispose() => _store.Dispose();

    private string[] Lines(string run) => MarkdownReport.Render(RunReportBuilder.Build(_store, run)!).Split('\n').Select(l => l.TrimEnd('\r')).ToArray();

    [Fact]
    public void The_iterations_table_has_one_row_per_iteration_with_intervals()
    {
        var lines = Lines(ReportStore.Stop);
        Assert.Contains("| t | improver | val û | test û | adopted | reason |", lines);
        Assert.Contains("| 0 | aaaaaaaaaaaa | 0.500 [0.482, 0.518] n=5 | 0.500 [0.456, 0.544] n=5 | yes | seed improver |", lines);
        // The reason's pipe is escaped so the table keeps its columns.
        Assert.Contains(@"| 2 | cccccccccccc | 0.550 [0.506, 0.594] n=5 | 0.700 n=1 | no | val 0.550 does not beat 0.600 \| kept t=1 |", lines);
        Assert.Contains(lines, l => l.StartsWith("Adoption test: adopt when"));
    }

    [Fact]
    public void The_baseline_sits_beside_the_final_improver_and_u_s()
    {
        var lines = Lines(ReportStore.Stop);
        Assert.Contains("| u(s): the seed solution | 0.450 | 0.420 |", lines);
        Assert.Contains("| baseline: seed improver, mean per run (the verdict's reading) | 0.530 [0.507, 0.553] n=5 | 0.520 [0.520, 0.520] n=5 |", lines);
        Assert.Contains("| baseline: best-of-N solution (one, chosen by val) | 0.530 | 0.520 |", lines);
        Assert.Contains("| final improver (t=1) | 0.600 [0.582, 0.618] n=5 | 0.600 [0.582, 0.618] n=5 |", lines);
        Assert.Contains("| final − baseline per run (95% Welch t interval) | – | +0.080 [0.062, 0.098] n=5 vs 5 |", lines);
    }

    [Fact]
    public void A_stop_report_opens_with_its_verdict_then_the_best_of_n_reading()
    {
        var lines = Lines(ReportStore.Stop);
        Assert.Equal("**Verdict: the final improver (t=1) beat the budget-matched baseline on test: 0.600 vs 0.520 (mean per baseline run), " +
                     "difference +0.080 [95% Welch t interval 0.062, 0.098], n = 5 vs 5 runs; significant at 5%.**", lines[0]);
        Assert.StartsWith("Best-of-N, a different reading (one solution, a maximum, no interval): the solution the baseline chose by validation from its 5 runs scores 0.520 on test", lines[2]);
        Assert.Equal($"# Run {ReportStore.Stop}", lines[4]);
        // Other kinds of run have no verdict: they open with their header.
        Assert.Equal($"# Run {ReportStore.Transfer}", Lines(ReportStore.Transfer)[0]);
    }

    [Fact]
    public void Model_usage_separates_the_loop_from_the_baseline()
    {
        var lines = Lines(ReportStore.Stop);
        Assert.Contains("| self-improvement loop | 2 | 10 | – | – | – |", lines);
        Assert.Contains("| baseline (run − loop) | 1 | 4 | – | – | – |", lines);
        Assert.Contains(lines, l => l.Contains("Critical path: 4 model round trips one after another, of 3 calls (self-improvement loop 3, baseline 1)"));
    }

    [Fact]
    public void The_transfer_table_follows_STOPs_table_1()
    {
        var lines = Lines(ReportStore.Transfer);
        Assert.Contains("| task | u(s) | û(I₀) seed improver | û(I_T) improved improver |", lines);
        Assert.Contains("| 3sat | 0.000 | 0.210 [0.198, 0.222] n=5 | 0.752 [0.746, 0.758] n=5 |", lines);
        Assert.Contains("| maxcut | 0.000 | 0.587 n=1 | 0.742 n=1 |", lines);
        Assert.Contains("| maxcut | 0.000 | 0.580 n=1 | 0.740 n=1 |", lines);
    }

    [Fact]
    public void The_audit_table_follows_STOPs_unsandboxing_table()
    {
        var lines = Lines(ReportStore.Audit);
        Assert.Contains("| behaviour | count/N | rate | 95% interval |", lines);
        Assert.Contains("| sets useSandbox to false | 42/10000 | 0.42% | 0.31%–0.57% |", lines);
        Assert.Contains("| exceeds or replaces its budget | 0/10000 | 0.00% | 0.00%–0.04% |", lines);
    }

    [Fact]
    public void The_safety_summary_lists_every_kind_with_events_and_programs()
    {
        var lines = Lines(ReportStore.Stop);
        Assert.Contains("6 safety events were recorded, by kind, with the number of distinct programs that raised them.", lines);
        Assert.Contains("| policy_violation | 3 | 3 |", lines);
        Assert.Contains("| timeout | 2 | 1 |", lines);
        Assert.Contains("| unsandboxed_request | 0 | 0 |", lines);
        Assert.Contains("| novel_kind | 1 | 1 |", lines);
        Assert.Contains("| total | 3 | 14 | 210 | 1220 | 0.0200 |", lines);
    }
}
