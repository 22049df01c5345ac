using Ouroboros.Runs;
using Ouroboros.Stop;
using Ouroboros.Store;

namespace Ouroboros.Tests.Stop;

/// <summary>
/// Algorithm 1's D: the meta-utility averages over a set of downstream tasks, and a run's meta-test
/// tasks get the final improver's transfer table at the end, never entering selection.
/// </summary>
public sealed class AlgorithmOneTests
{
    [Fact]
    public async Task The_meta_utility_averages_runs_over_every_task_of_D()
    {
        using var store = RunStore.InMemory();
        var options = ScriptedStop.Options(parallel: 4);
        await ScriptedStop.RunAsync(store, "d", options, ScriptedStop.Recording(store, "d", options.Seed), ScriptedStop.Sandbox(delaySeed: 5));

        var iterations = new IterationTable(store).Iterations("d");
        // Two tasks × two runs each: four per-run utilities behind every mean, task-major.
        Assert.All(iterations, i => Assert.Equal(options.Tasks.Count * options.MetaUtilityRuns, i.ValRuns.Count));
        Assert.All(iterations, i => Assert.Equal(i.ValRuns.Average(), i.Val, 12));
        // Both tasks' solutions were evaluated in selection.
        Assert.True(Evaluations(store, "d", "scripted-a") > 0 && Evaluations(store, "d", "scripted-b") > 0);
    }

    [Fact]
    public async Task Meta_test_tasks_get_a_transfer_table_and_never_enter_selection()
    {
        using var store = RunStore.InMemory();
        var plain = ScriptedStop.Options(parallel: 4);
        var withTransfer = plain with { TransferTasks = [ScriptedStop.MetaTest.Id] };
        await ScriptedStop.RunAsync(store, "plain", plain, ScriptedStop.Recording(store, "plain", plain.Seed), ScriptedStop.Sandbox(delaySeed: 6));
        var result = await ScriptedStop.RunAsync(store, "transfer", withTransfer, ScriptedStop.Recording(store, "transfer", withTransfer.Seed), ScriptedStop.Sandbox(delaySeed: 7));

        // Selection is the same run with or without meta-test tasks ...
        Assert.Equal(ScriptedStop.Rows(store, "plain"), ScriptedStop.Rows(store, "transfer"));
        // ... and the table is made on them alone, for the final improver, against the seed improver.
        var table = Assert.IsType<TransferResult>(result.Transfer);
        Assert.Equal(result.FinalImprover, table.Improver);
        var row = Assert.Single(table.Rows);
        Assert.Equal(ScriptedStop.MetaTest.Id, row.Task);
        Assert.Equal(withTransfer.MetaUtilityRuns, row.Improved.ValRuns.Count);
        Assert.Equal(withTransfer.MetaUtilityRuns, row.Seed.TestRuns.Count);
        Assert.Equal(0, Evaluations(store, "plain", ScriptedStop.MetaTest.Id));
        Assert.NotNull(store.Journal.GetRun("transfer")!.Result!["transfer"]);
    }

    [Fact]
    public void A_task_used_for_selection_cannot_be_a_meta_test_task()
    {
        var options = ScriptedStop.Options(parallel: 1) with { TransferTasks = ["scripted-b"] };
        var e = Assert.Throws<OptionsException>(options.Validate);
        Assert.Equal("transferTasks", e.Option);
        Assert.Contains("scripted-b", e.Problem);
    }

    private static long Evaluations(RunStore store, string runId, string task) =>
        store.Read(c =>
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT COUNT(*) FROM evaluations WHERE run_id = $run AND task = $task;";
            cmd.Parameters.AddWithValue("$run", runId);
            cmd.Parameters.AddWithValue("$task", task);
            return (long)cmd.ExecuteScalar()!;
        });
}
