using Ouroboros.Store;

namespace Ouroboros.Tests.Stop;

/// <summary>
/// A STOP run gives the same scores however much of it runs side by side: every draw is named by
/// its position, and results are gathered in index order, whatever finished first.
/// </summary>
public sealed class OrderIndependenceTests
{
    [Fact]
    public async Task Parallel_1_and_parallel_8_give_the_same_iterations_and_baseline()
    {
        using var store = RunStore.InMemory();
        var records = store;
        var one = ScriptedStop.Options(parallel: 1);
        var eight = ScriptedStop.Options(parallel: 8);

        // Different delay seeds: the improver runs finish in different orders in the two runs.
        await ScriptedStop.RunAsync(records, "p1", one, ScriptedStop.Recording(store, "p1", one.Seed), ScriptedStop.Sandbox(delaySeed: 1));
        await ScriptedStop.RunAsync(records, "p8", eight, ScriptedStop.Recording(store, "p8", eight.Seed), ScriptedStop.Sandbox(delaySeed: 2));

        var rows = ScriptedStop.Rows(records, "p1");
        Assert.Equal(eight.Iterations + 1, rows.Count);
        Assert.Equal(rows, ScriptedStop.Rows(records, "p8"));
        var baseline = records.Journal.GetRun("p1")!.Result!["baseline"]!.ToJsonString();
        Assert.Equal(baseline, records.Journal.GetRun("p8")!.Result!["baseline"]!.ToJsonString());

        // The critical path is logical, so the same in both; run side by side, it is shorter than the calls made.
        var usage = records.Journal.GetRun("p8")!.Result!["modelUsage"]!;
        Assert.Equal(records.Journal.GetRun("p1")!.Result!["modelUsage"]!.ToJsonString(), usage.ToJsonString());
        Assert.True((long)usage["criticalPath"]! < (long)usage["calls"]!, $"critical path {usage["criticalPath"]} of {usage["calls"]} calls");
    }
}
