using System.Text.Json.Nodes;
using Ouroboros.Reporting;
using Ouroboros.Store;

namespace Ouroboros.Tests.Reporting;

public class ModelUsageQueryTests
{
    [Fact]
    public void Usage_counts_the_completions_that_arrived_not_those_asked_of_a_model_that_failed()
    {
        using var store = RunStore.InMemory();
        store.Journal.CreateRun("r", "stop", new JsonObject());
        var ledger = store.Ledger("r");
        ModelCallRecord Call(int n, string outcome) => new(DateTimeOffset.UtcNow, "m", "h", n, 0, "p", null, null, 1, null, outcome, null);
        ledger.Add(Call(6, "ok"));
        ledger.Add(Call(2, "no_code_block"));   // answered, if without code
        ledger.Add(Call(6, "network"));          // asked for six, none came
        ledger.Add(Call(6, "rejected"));
        ledger.Add(Call(6, "replayed"));         // not a call to the provider at all

        var usage = ModelUsageQuery.ForRun(store, store.Journal.GetRun("r")!);

        Assert.Equal(4, usage.Total.Calls);
        Assert.Equal(8, usage.Total.Completions);
        Assert.Equal(8, Assert.Single(usage.ByLevel).Totals.Completions);
    }

    [Fact]
    public void Every_report_shows_faults_by_kind_and_warns_when_many_calls_failed()
    {
        using var store = RunStore.InMemory();
        store.Journal.CreateRun("r", "stop", new JsonObject());
        var ledger = store.Ledger("r");
        ModelCallRecord Call(string outcome) => new(DateTimeOffset.UtcNow, "m", "h", 1, 0, "p", null, null, 1, null, outcome, null);
        foreach (var outcome in new[] { "ok", "ok", "ok", "retried:server_error", "retried:server_error", "retried:rate_limited" }) ledger.Add(Call(outcome));
        for (int i = 0; i < 9; i++) ledger.Add(Call(i < 6 ? "server_error" : "timeout"));

        var report = RunReportBuilder.Build(store, "r")!;

        Assert.Equal(12, report.Usage.Total.Calls);
        Assert.Equal(
            [new ModelFaultCount("rate_limited", 0, 1), new ModelFaultCount("server_error", 6, 2), new ModelFaultCount("timeout", 3, 0)],
            report.Usage.Faults);
        const string warning = "Warning: 9 of 12 model calls failed; scores are not comparable with a clean run.";
        Assert.Equal(warning, ReportSections.Headline(report)[0]);
        var md = MarkdownReport.Render(report);
        Assert.StartsWith($"**{warning}**", md);
        Assert.Contains("| server_error | 6 | 2 |", md);
        var json = ReportJson.ToJson(report);
        Assert.Equal(warning, (string?)json["warning"]);
        Assert.Equal(2, (long?)json["modelUsage"]!["faults"]!["server_error"]!["retried"]);
        Assert.Equal(9, (long?)json["modelUsage"]!["failedCalls"]);
    }

    [Fact]
    public void A_clean_run_has_no_warning_and_says_it_had_no_faults()
    {
        using var store = RunStore.InMemory();
        store.Journal.CreateRun("r", "stop", new JsonObject());
        store.Ledger("r").Add(new(DateTimeOffset.UtcNow, "m", "h", 1, 0, "p", null, null, 1, null, "ok", null));

        var report = RunReportBuilder.Build(store, "r")!;

        Assert.Null(report.Usage.Warning);
        Assert.DoesNotContain(ReportSections.Headline(report), l => l.StartsWith("Warning"));
        Assert.Contains(ReportSections.Of(report), t => t.Title == "Model faults" && t.Caption == "No model faults were recorded.");
    }
}
