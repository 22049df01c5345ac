using Ouroboros.Models;
using Ouroboros.Stop;
using Ouroboros.Store;
using Ouroboros.Tests.Models;

namespace Ouroboros.Tests.Stop;

/// <summary>
/// The best-of-N baseline: as many seed improver runs as the loop's completions buy, and the best
/// solution chosen by validation utility alone, ties to the earlier run.
/// </summary>
public sealed class BestOfNBaselineTests
{
    /// <summary>The seed improver returns the model's one answer; the model answers by the run the request came from.</summary>
    private static async Task<(BaselineResult Result, ScriptedSandbox Sandbox)> Baseline(long completions, params string[] solutionsByRun)
    {
        var model = new ScriptedChatClient((_, _, o) =>
        {
            var position = ChatConventions.Position(o)!;   // baseline/r{i}/c1
            int i = int.Parse(position.Split('/')[1][1..]);
            return ChatConventions.Response([solutionsByRun[i]], "scripted");
        });
        var sandbox = new ScriptedSandbox(new Dictionary<string, Func<ImproverPlay, Task<Played>>>
        {
            [Improvers.Seed] = async p => Played.Returns((await p.PromptAsync(p.InitialSolution))[0]),
        }, delaySeed: 7);
        using var store = RunStore.InMemory();
        var run = ScriptedStop.Parts(store, sandbox, model, new StopOptions { MaxResponsesPerCall = 6, Parallel = 4 });
        return (await new BestOfNBaseline(run).RunAsync(completions, CancellationToken.None), sandbox);
    }

    [Theory]
    [InlineData(13, 3)]
    [InlineData(12, 2)]
    [InlineData(0, 1)]
    public async Task It_makes_one_run_per_MaxResponsesPerCall_completions_rounded_up(long completions, int runs)
    {
        var (result, sandbox) = await Baseline(completions, ScriptedSolution.Of(0.25), ScriptedSolution.Of(0.5), ScriptedSolution.Of(0.75));

        Assert.Equal((runs, runs * 6L), (result.Runs, result.Completions));
        Assert.Equal(runs, sandbox.ImproverRuns);
        Assert.Equal(runs, result.ValRuns.Count);
        Assert.Equal(result.ValRuns.Max(), result.Val);
    }

    [Fact]
    public async Task The_best_is_chosen_by_validation_never_test_and_a_tie_goes_to_the_earlier_run()
    {
        var (result, _) = await Baseline(13,
            ScriptedSolution.Of(val: 0.25, test: 1.0),      // the best on test: never chosen for it
            ScriptedSolution.Of(val: 0.75, test: 0.125),    // best on validation, first of a tie
            ScriptedSolution.Of(val: 0.75, test: 0.5));     // tied on validation, later

        Assert.Equal([0.25, 0.75, 0.75], result.ValRuns);
        Assert.Equal([1.0, 0.125, 0.5], result.TestRuns);
        Assert.Equal((0.75, 0.125), (result.Val, result.Test));
    }
}
