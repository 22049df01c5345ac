using Ouroboros.Models;
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

    private static async Task<(RunStore Store, IRunStore Records)> Recorded(Microsoft.Extensions.AI.IChatClient? provider = null)
    {
        var store = RunStore.InMemory();
        var records = store;
        var options = ScriptedStop.Options(parallel: 4);
        await ScriptedStop.RunAsync(records, "original", options, ScriptedStop.Recording(store, "original", options.Seed, provider), ScriptedStop.Sandbox(delaySeed: 3));
        return (store, records);
    }

    /// <summary>The scripted provider, except that the call at <paramref name="position"/> is refused (as a request for temperature −2.3 would be).</summary>
    private static Ouroboros.Tests.Models.ScriptedChatClient RefusingAt(string position)
    {
        var provider = ScriptedStop.Provider();
        return new((_, messages, options) => ChatConventions.Position(options) == position
            ? throw new ModelFaultException(ModelFaultKind.Rejected, "HTTP 400: temperature must be between 0 and 2", 400)
            : provider.GetResponseAsync(messages, options).GetAwaiter().GetResult(), provider.GetService(typeof(Microsoft.Extensions.AI.ChatClientMetadata)) is Microsoft.Extensions.AI.ChatClientMetadata m ? m.DefaultModelId! : "");
    }

    private static async Task<System.Text.Json.Nodes.JsonObject> Replay(RunStore store, IRunStore records, ScriptedSandbox sandbox)
    {
        var options = ScriptedStop.Options(parallel: 4);
        var watch = ScriptedStop.Replaying(store, "replay", "original", options.Seed);
        await ScriptedStop.RunAsync(records, "replay", options, watch, sandbox, kind: "replay");
        return Ouroboros.Stop.ReplayComparison.Compare(records, "original", "replay", watch.Misses, watch.OriginalFailures);
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
        Assert.Equal("identical", (string?)comparison["outcome"]);
    }

    [Fact]
    public async Task A_call_that_failed_in_the_original_fails_again_and_is_not_a_mismatch()
    {
        var (store, records) = await Recorded(RefusingAt(FirstScoringCall));
        using var _ = store;
        Assert.Contains(new ModelCallLog(store, "original").All(), c => c.Position == FirstScoringCall && c.Outcome == "rejected");

        var comparison = await Replay(store, records, ScriptedStop.Sandbox(delaySeed: 4));

        Assert.Single(comparison["originalFailures"]!.AsArray());
        Assert.Equal("identical", (string?)comparison["outcome"]);
        Assert.Empty(Mismatches(comparison));
    }

    [Fact]
    public async Task A_difference_after_a_call_that_failed_in_the_original_could_not_be_reproduced_rather_than_mismatched()
    {
        var (store, records) = await Recorded(RefusingAt(FirstScoringCall));
        using var _ = store;

        var comparison = await Replay(store, records, ScriptedStop.Sandbox(delaySeed: 4, scoring: s => s / 2));

        Assert.Equal("unreproducible", (string?)comparison["outcome"]);
        Assert.False((bool)comparison["identical"]!);
        Assert.NotEmpty(Mismatches(comparison));
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

        Assert.Equal("mismatch", (string?)comparison["outcome"]);
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
