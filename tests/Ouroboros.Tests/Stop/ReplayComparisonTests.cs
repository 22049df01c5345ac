using Ouroboros.Store;

namespace Ouroboros.Tests.Stop;

/// <summary>
/// <c>ouro replay</c>'s check: a STOP run re-executed from its recorded completions (no model
/// called, every program run again) reproduces every score, and says where it does not.
/// </summary>
public sealed class ReplayComparisonTests
{
    /// <summary>The first model call of the seed improver's first run on the first task, when I₀ is scored (t = 0).</summary>
    private const string FirstScoringCall = "t0/score/scripted-a/r0/c1";

    private static async Task<(RunStore Store, IRunStore Records)> Recorded()
    {
        var store = RunStore.InMemory();
        var records = store;
        var options = ScriptedStop.Options(parallel: 4);
        await ScriptedStop.RunAsync(records, "original", options, ScriptedStop.Recording(store, "original", options.Seed), ScriptedStop.Sandbox(delaySeed: 3));
        return (store, records);
    }

    private static async Task<System.Text.Json.Nodes.JsonObject> Replay(RunStore store, IRunStore records, ScriptedSandbox sandbox)
    {
        var options = ScriptedStop.Options(parallel: 4);
        var watch = ScriptedStop.Replaying(store, "replay", "original", options.Seed);
        await ScriptedStop.RunAsync(records, "replay", options, watch, sandbox, kind: "replay");
        return Ouroboros.Stop.ReplayComparison.Compare(records, "original", "replay", watch.Misses);
    }

    private static string[] Mismatches(System.Text.Json.Nodes.JsonObject comparison) =>
        comparison["mismatches"]!.AsArray().Select(m => (string)m!).ToArray();

    [Fact]
    public async Task An_untouched_replay_is_identical()
    {
        var (store, records) = await Recorded();
        using var _ = store;

        var comparison = await Replay(store, records, ScriptedStop.Sandbox(delaySeed: 4));

        Assert.Empty(Mismatches(comparison));
        Assert.True((bool)comparison["identical"]!);
    }

    [Fact]
    public async Task A_changed_recorded_completion_is_a_mismatch_naming_the_iteration()
    {
        var (store, records) = await Recorded();
        using var _ = store;
        var call = Assert.Single(new ModelCallLog(store, "original").All(), c => c.Position == FirstScoringCall);
        Assert.NotNull(new ModelResponseStore(store, "original").Get(call.RequestHash, 0));
        store.Execute($"UPDATE model_responses SET completion = 'Better.\n```csharp\nsolution 0.999\n```' WHERE run_id = 'original' AND request_hash = '{call.RequestHash}' AND sample_index = 0;");

        var comparison = await Replay(store, records, ScriptedStop.Sandbox(delaySeed: 4));

        Assert.False((bool)comparison["identical"]!);
        Assert.Contains(Mismatches(comparison), m => m.StartsWith("t=0: validation runs [", StringComparison.Ordinal) && m.Contains("0.999"));
    }

    [Fact]
    public async Task A_sandbox_that_scores_differently_is_a_mismatch_naming_the_iteration()
    {
        var (store, records) = await Recorded();
        using var _ = store;

        var comparison = await Replay(store, records, ScriptedStop.Sandbox(delaySeed: 4, scoring: s => s / 2));

        Assert.False((bool)comparison["identical"]!);
        Assert.Contains(Mismatches(comparison), m => m.StartsWith("t=0: validation runs [", StringComparison.Ordinal));
    }
}
