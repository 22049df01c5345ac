using Ouroboros.Stop;
using System.Text.Json.Nodes;
using Ouroboros.Reporting;

namespace Ouroboros.Tests.Reporting;

/// <summary>The report read back from a filled store, checked through its JSON against hand-computed intervals.</summary>
public sealed class RunReportTests : IDisposable
{
    private readonly Ouroboros.Store.RunStore _store = ReportStore.Filled();

    public void Dispose() => _store.Dispose();

    // Round-tripped through text: what a script reading `ouro report --json` sees.
    private JsonObject Json(string run) => JsonNode.Parse(ReportJson.ToJson(RunReportBuilder.Build(_store, run)!).ToJsonString())!.AsObject();

    private static double[] Pair(JsonNode? node) => node!.AsArray().Select(x => (double)x!).ToArray();

    [Fact]
    public void An_unknown_run_has_no_report() => Assert.Null(RunReportBuilder.Build(_store, "no-such-run"));

    [Fact]
    public void A_stop_report_names_the_run_task_and_model_and_lists_iterations_in_order()
    {
        var json = Json(ReportStore.Stop);
        Assert.Equal(ReportStore.Stop, (string)json["run"]!);
        Assert.Equal("stop", (string)json["kind"]!);
        Assert.Equal("finished", (string)json["status"]!);
        Assert.Equal("lpn", (string)json["task"]!);
        Assert.Equal("offline-mutation", (string)json["model"]!);
        var iterations = json["iterations"]!.AsArray();
        Assert.Equal([0, 1, 2], iterations.Select(i => (int)i!["t"]!));
        Assert.Equal([true, true, false], iterations.Select(i => (bool)i!["adopted"]!));
        Assert.Equal(ReportStore.Improved, (string)iterations[1]!["improver"]!);
        Assert.Equal("val 0.550 does not beat 0.600 | kept t=1", (string)iterations[2]!["reason"]!);
        Assert.Equal(1, (int)json["final"]!["t"]!);
    }

    [Fact]
    public void Each_iteration_mean_carries_n_and_a_t_interval()
    {
        var t0 = Json(ReportStore.Stop)["iterations"]![0]!;
        // val runs 0.5, 0.52, 0.48, 0.5, 0.5: s² = 0.0002, half = 2.776 · √(0.0002 / 5) = 0.017557.
        Assert.Equal(0.5, (double)t0["val"]!, 9);
        Assert.Equal(5, (int)t0["valN"]!);
        Assert.Equal([0.482443, 0.517557], Pair(t0["valCi95"]));
        // test runs 0.55, 0.45, 0.5, 0.5, 0.5: s² = 0.00125, half = 0.043892.
        Assert.Equal([0.456108, 0.543892], Pair(t0["testCi95"]));
    }

    [Fact]
    public void A_single_run_has_n_1_and_no_interval()
    {
        var t2 = Json(ReportStore.Stop)["iterations"]![2]!;
        Assert.Equal(0.7, (double)t2["test"]!, 9);
        Assert.Equal(1, (int)t2["testN"]!);
        Assert.Null(t2["testCi95"]);
    }

    [Fact]
    public void The_baseline_and_adoption_test_come_from_the_loops_result()
    {
        var json = Json(ReportStore.Stop);
        var b = json["baseline"]!;
        Assert.Equal("best-of-N seed improver", (string)b["method"]!);
        Assert.Equal(5, (int)b["runs"]!);
        Assert.Equal(120, (int)b["completions"]!);
        Assert.Equal(125, (int)b["utilityCalls"]!);
        Assert.Equal(0.53, (double)b["val"]!, 9);
        Assert.Equal([0.506774, 0.553226], Pair(b["valCi95"]));
        Assert.Equal([0.52, 0.52], Pair(b["testCi95"]));
        Assert.StartsWith("adopt when", (string)json["adoptionTest"]!);
    }

    [Fact]
    public void The_verdict_object_names_its_reading_and_test_and_carries_every_number_of_its_line()
    {
        var v = Json(ReportStore.Stop)["verdict"]!;
        Assert.Equal("beat", (string)v["outcome"]!);
        Assert.StartsWith("Verdict: the final improver (t=1) beat the budget-matched baseline on test: 0.600 vs 0.520", (string)v["line"]!);
        Assert.Equal("per-run mean of the baseline's seed-improver runs", (string)v["reading"]!);
        Assert.Contains("Welch", (string)v["test"]!);
        Assert.Equal(1, (int)v["finalT"]!);
        Assert.Equal(0.6, (double)v["final"]!, 9);
        Assert.Equal(5, (int)v["finalN"]!);
        Assert.Equal(0.52, (double)v["baseline"]!, 9);
        Assert.Equal(5, (int)v["baselineN"]!);
        // Final runs 0.58, 0.6, 0.62, 0.6, 0.6 against a constant 0.52: se = √(0.0002 / 5), ν = 4, half = 2.776 · se = 0.017557.
        Assert.Equal(0.08, (double)v["difference"]!, 9);
        Assert.Equal([0.062443, 0.097557], Pair(v["differenceCi95"]));
        Assert.Equal(4, (double)v["df"]!, 9);
        Assert.True((bool)v["significant"]!);
        Assert.Equal(0.52, (double)v["bestOfN"]!["test"]!, 9);
        Assert.StartsWith("Best-of-N, a different reading", (string)v["bestOfNLine"]!);
        Assert.Null(Json(ReportStore.Transfer)["verdict"]);
    }

    [Fact]
    public void U_s_is_the_seed_solutions_own_utility_as_the_run_scored_it()
    {
        var us = Json(ReportStore.Stop)["us"]!;
        Assert.Equal(ReportStore.UsVal, (double)us["val"]!, 9);
        Assert.Equal(ReportStore.UsTest, (double)us["test"]!, 9);
        Assert.Equal("lpn", (string)us["tasks"]![0]!["task"]!);
    }

    [Fact]
    public void A_split_the_run_never_scored_the_seed_solution_on_has_no_u_s()
    {
        _store.Journal.CreateRun("other-task", "stop", new JsonObject { ["tasks"] = new JsonArray("3sat"), ["model"] = "m" });
        var us = Json("other-task")["us"]!;
        Assert.Null(us["val"]);
        Assert.Null(us["test"]);
    }

    [Fact]
    public void Safety_counts_events_and_distinct_programs_per_kind_including_zeros_and_unknown_kinds()
    {
        var safety = Json(ReportStore.Stop)["safety"]!;
        Assert.Equal(6, (int)safety["total"]!);
        var byKind = safety["byKind"]!;
        Assert.Equal(2, (int)byKind["timeout"]!["events"]!);
        Assert.Equal(1, (int)byKind["timeout"]!["programs"]!);
        Assert.Equal(3, (int)byKind["policy_violation"]!["events"]!);
        Assert.Equal(3, (int)byKind["policy_violation"]!["programs"]!);
        Assert.Equal(0, (int)byKind["unsandboxed_request"]!["events"]!);
        Assert.Equal(1, (int)byKind["novel_kind"]!["events"]!);
        Assert.Equal(0, (int)byKind["invalid_output"]!["events"]!); // a kind of its own, apart from reward hacking
        Assert.Equal(13, byKind.AsObject().Count);
    }

    [Fact]
    public void Model_usage_counts_only_the_runs_own_calls_to_the_provider()
    {
        var usage = Json(ReportStore.Stop)["modelUsage"]!;
        Assert.Equal(3, (int)usage["calls"]!);
        Assert.Equal(14, (int)usage["completions"]!);
        Assert.Equal(210, (int)usage["tokensIn"]!);
        Assert.Equal(1220, (int)usage["tokensOut"]!);
        Assert.Equal(0.02, (double)usage["costUsd"]!, 9);
        var levels = usage["byLevel"]!.AsArray();
        Assert.Equal([0, 1], levels.Select(l => (int)l!["level"]!));
        Assert.Equal([2, 1], levels.Select(l => (int)l!["calls"]!));
        Assert.Equal(0, (int)Json(ReportStore.Transfer)["modelUsage"]!["calls"]!);
    }

    [Fact]
    public void Model_usage_splits_a_stop_run_into_the_loop_and_the_baseline_as_the_run_counted_them()
    {
        var phases = Json(ReportStore.Stop)["modelUsage"]!["phases"]!.AsArray();
        Assert.Equal(["self-improvement loop", "baseline"], phases.Select(p => (string)p!["phase"]!));
        Assert.Equal([2, 1], phases.Select(p => (int)p!["calls"]!));
        Assert.Equal([10, 4], phases.Select(p => (int)p!["completions"]!));
        Assert.Equal([3, 1], phases.Select(p => (int)p!["criticalPath"]!));
        Assert.Empty(Json(ReportStore.Transfer)["modelUsage"]!["phases"]!.AsArray());
    }

    [Fact]
    public void A_transfer_report_has_STOPs_table_1_with_intervals_on_both_splits()
    {
        var json = Json(ReportStore.Transfer);
        var transfer = json["transfers"]!.AsArray().Single()!;
        Assert.Equal(ReportStore.Improved, (string)transfer["improver"]!);
        var sat = transfer["rows"]![0]!;
        Assert.Equal("3sat", (string)sat["task"]!);
        Assert.Equal(0.0, (double)sat["us"]!["test"]!);
        Assert.Equal(0.21, (double)sat["seed"]!["test"]!, 9);
        Assert.Equal([0.197585, 0.222415], Pair(sat["seed"]!["testCi95"]));
        Assert.Equal(0.752, (double)sat["improved"]!["test"]!, 9);
        Assert.Equal([0.746448, 0.757552], Pair(sat["improved"]!["testCi95"]));
        Assert.Equal(5, (int)sat["improved"]!["valN"]!);
        Assert.Null(transfer["rows"]![1]!["seed"]!["valCi95"]);
    }

    [Fact]
    public void A_stop_report_includes_transfers_of_the_improvers_it_produced_but_not_of_the_shared_seed_improver()
    {
        new Ouroboros.Store.RunRecords(_store).CreateRun("transfer-of-seed", "transfer", new JsonObject { ["improver"] = ReportStore.Seed });
        new Ouroboros.Store.RunRecords(_store).FinishRun("transfer-of-seed", new JsonObject { ["improver"] = ReportStore.Seed, ["rows"] = new JsonArray() });
        var transfers = Json(ReportStore.Stop)["transfers"]!.AsArray();
        Assert.Equal(ReportStore.Transfer, (string)transfers.Single()!["run"]!);
    }

    [Fact]
    public void An_audit_report_has_wilson_intervals_as_in_STOPs_unsandboxing_table()
    {
        var audit = Json(ReportStore.Audit)["audit"]!;
        Assert.Equal(10000, (int)audit["samples"]!);
        Assert.False((bool)audit["warning"]!);
        var unsandboxed = audit["rows"]![0]!;
        Assert.Equal(42, (int)unsandboxed["count"]!);
        Assert.Equal(0.0042, (double)unsandboxed["rate"]!, 9);
        Assert.Equal([0.003109, 0.005672], Pair(unsandboxed["ci95"]));
        var none = audit["rows"]![1]!;
        Assert.Equal(0, (double)none["rate"]!);
        Assert.Equal(0, Pair(none["ci95"])[0]);
        Assert.True(Pair(none["ci95"])[1] > 0);
    }

    [Fact]
    public void A_run_still_open_reports_what_it_has_and_marks_missing_runs_as_n_0()
    {
        var records = _store;
        records.Journal.CreateRun("open-run", "stop", new JsonObject { ["task"] = "maxcut", ["model"] = "m", ["iterations"] = 3, ["seed"] = 1 });
        using var lease = Ouroboros.Runs.RunLease.Take(records, "open-run"); // still open: this process holds it
        // A candidate that never produced per-run utilities (say, it failed to compile): the stored mean, n = 0, no interval.
        new IterationTable(records).PutIteration(new Ouroboros.Stop.IterationRow("open-run", 0, ReportStore.Seed, 0.25, 0.3, [], [], true, "seed improver"));
        new Ouroboros.Store.ModelCallLog(_store, "open-run").Add(new Ouroboros.Store.ModelCallRecord(DateTimeOffset.UtcNow, "m", "h", 4, 0, ReportStore.Seed, 1, 2, 3, null, "ok", null));
        var json = Json("open-run");
        Assert.Equal("running", (string)json["status"]!);
        Assert.Null(json["finished"]);
        Assert.Null(json["baseline"]);
        Assert.Null(json["adoptionTest"]);
        Assert.Equal("unavailable", (string)json["verdict"]!["outcome"]!);
        Assert.Equal("Verdict: none, the run is still open and has no baseline yet.", (string)json["verdict"]!["line"]!);
        var t0 = json["iterations"]![0]!;
        Assert.Equal(0.25, (double)t0["val"]!, 9);
        Assert.Equal(0, (int)t0["valN"]!);
        Assert.Null(t0["valCi95"]);
        Assert.Equal(4, (int)json["modelUsage"]!["completions"]!);
        Assert.Contains("open-run", (string)json["modelUsage"]!["window"]!);
    }
}
