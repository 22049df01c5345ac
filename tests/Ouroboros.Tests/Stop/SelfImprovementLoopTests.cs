using Ouroboros.Compilation;
using Ouroboros.Sandbox;
using Ouroboros.Stop;
using Ouroboros.Store;
using Ouroboros.Tests.Models;

namespace Ouroboros.Tests.Stop;

/// <summary>
/// Algorithm 1 with the adoption test, on a scripted sandbox: the seed improver writes solutions
/// scoring 0.5 and, asked to improve itself, returns whichever candidate the test names.
/// </summary>
public sealed class SelfImprovementLoopTests
{
    private const string Better = "improver better";
    private const string Worse = "improver worse";

    // Dyadic scores, so a mean over instances and runs is exact and can be compared with ==.
    private static readonly StopOptions Options = new() { Iterations = 1, MetaUtilityRuns = 2, Parallel = 2 };

    /// <summary>The seed improver: improves itself into <paramref name="asSelfImprover"/>'s outcome, and any solution into one scoring 0.5.</summary>
    private static ScriptedSandbox Sandbox(Played asSelfImprover) => new(new Dictionary<string, Func<ImproverPlay, Task<Played>>>
    {
        [Improvers.Seed] = p => Task.FromResult(p.ImprovesAnImprover ? asSelfImprover : Played.Returns(ScriptedSolution.Of(0.5))),
        [Better] = _ => Task.FromResult(Played.Returns(ScriptedSolution.Of(0.75))),
        [Worse] = _ => Task.FromResult(Played.Returns(ScriptedSolution.Of(0.25))),
    });

    private static async Task<(IReadOnlyList<IterationRow> Returned, IReadOnlyList<IterationRow> Stored)> Loop(ScriptedSandbox sandbox)
    {
        using var store = RunStore.InMemory();
        var records = store;
        var run = ScriptedStop.Parts(records, sandbox, ScriptedChatClient.Fenced(), Options);
        var returned = await new SelfImprovementLoop(run, Options.Iterations).RunAsync(CancellationToken.None);
        return (returned, new IterationTable(records).Iterations("r"));
    }

    [Fact]
    public async Task A_better_candidate_is_adopted_and_becomes_the_final_improver()
    {
        var (returned, stored) = await Loop(Sandbox(Played.Returns(Better)));

        Assert.Equal([0, 1], stored.Select(i => i.T));
        Assert.Equal(returned.Select(i => (i.ImproverHash, i.Adopted, i.Reason)), stored.Select(i => (i.ImproverHash, i.Adopted, i.Reason)));
        Assert.Equal((ProgramHash.Of(Improvers.Seed), 0.5, true), (stored[0].ImproverHash, stored[0].Val, stored[0].Adopted));
        Assert.Equal((ProgramHash.Of(Better), 0.75, 0.75, true), (stored[1].ImproverHash, stored[1].Val, stored[1].Test, stored[1].Adopted));
        Assert.Equal([0.75, 0.75], stored[1].ValRuns);
        Assert.StartsWith("adopted: ", stored[1].Reason);
        Assert.Equal(ProgramHash.Of(Better), SelfImprovementLoop.FinalImproverHash(returned));
        Assert.Equal(ProgramHash.Of(Better), SelfImprovementLoop.FinalImproverHash(stored));
    }

    [Fact]
    public async Task A_worse_candidate_is_rejected_and_the_seed_stays()
    {
        var (returned, stored) = await Loop(Sandbox(Played.Returns(Worse)));

        Assert.Equal((ProgramHash.Of(Worse), 0.25, false), (stored[1].ImproverHash, stored[1].Val, stored[1].Adopted));
        Assert.StartsWith("kept the current improver: ", stored[1].Reason);
        Assert.Equal(ProgramHash.Of(Improvers.Seed), SelfImprovementLoop.FinalImproverHash(returned));
    }

    [Theory]
    [InlineData(RunStatus.Crashed, "crashed (worker died)")]
    [InlineData(RunStatus.Timeout, "timeout (took too long)")]
    public async Task A_failed_improver_run_keeps_the_current_improver_and_says_how_it_ended(RunStatus status, string how)
    {
        var why = how[(how.IndexOf('(') + 1)..^1];
        var sandbox = Sandbox(Played.Ended(status, why));
        var (returned, stored) = await Loop(sandbox);

        Assert.Equal((ProgramHash.Of(Improvers.Seed), 0.5, false), (stored[1].ImproverHash, stored[1].Val, stored[1].Adopted));
        Assert.Equal($"kept the current improver: the improver run ended {how}", stored[1].Reason);
        Assert.Equal(ProgramHash.Of(Improvers.Seed), SelfImprovementLoop.FinalImproverHash(returned));
        // Nothing to score: the seed's 2 scoring runs and the one failed self-improvement run, no more.
        Assert.Equal(3, sandbox.ImproverRuns);
    }

    [Fact]
    public async Task An_improver_run_that_returns_nothing_keeps_the_current_improver()
    {
        var (returned, stored) = await Loop(Sandbox(Played.Nothing));

        Assert.False(stored[1].Adopted);
        Assert.Equal("kept the current improver: the improver run returned no program (the improver returned no string)", stored[1].Reason);
        Assert.Equal(ProgramHash.Of(Improvers.Seed), SelfImprovementLoop.FinalImproverHash(returned));
    }
}
