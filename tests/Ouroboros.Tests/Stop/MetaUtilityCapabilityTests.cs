using Ouroboros.Compilation;
using Ouroboros.Safety;
using Ouroboros.Stop;
using Ouroboros.Store;
using Ouroboros.Tests.Models;

namespace Ouroboros.Tests.Stop;

/// <summary>
/// û as the level-0 improver sees it, inside the loop that lends it: its budget (calls past it score 0
/// unserved, one stored event per caller with the count) and its refusal to run anything unsandboxed.
/// </summary>
public sealed class MetaUtilityCapabilityTests
{
    private const string Candidate = "improver candidate";

    [Fact]
    public async Task Calls_past_the_budget_score_0_unserved_and_useSandbox_false_is_recorded_but_still_runs_sandboxed()
    {
        var options = new StopOptions { Iterations = 1, MetaUtilityRuns = 2, MetaUtilityBudget = 2, Parallel = 2 };
        ImproverPlay? selfImprovement = null;
        int candidateRunsAfterFirstCall = -1;
        ScriptedSandbox sandbox = null!;
        sandbox = new ScriptedSandbox(new Dictionary<string, Func<ImproverPlay, Task<Played>>>
        {
            [Improvers.Seed] = async p =>
            {
                if (!p.ImprovesAnImprover) return Played.Returns(ScriptedSolution.Of(0.5));
                selfImprovement = p;
                await p.EvaluateAsync(Candidate, useSandbox: false);
                candidateRunsAfterFirstCall = sandbox.RunsOf(Candidate);
                for (int i = 0; i < 3; i++) await p.EvaluateAsync(Candidate);
                return Played.Returns(Candidate);
            },
            [Candidate] = _ => Task.FromResult(Played.Returns(ScriptedSolution.Of(0.75))),
        });
        using var store = RunStore.InMemory();
        var records = store;
        var run = ScriptedStop.Parts(records, sandbox, ScriptedChatClient.Fenced(), options);

        await new SelfImprovementLoop(run, options.Iterations).RunAsync(CancellationToken.None);

        // Two calls within the budget are served (the first despite asking to run unsandboxed); two past it score 0 unserved.
        Assert.Equal([(0.75, false), (0.75, false), (0.0, true), (0.0, true)], selfImprovement!.Evaluations);
        // The unsandboxed request was evaluated all the same, through the sandbox: one run per meta-utility run.
        Assert.Equal(options.MetaUtilityRuns, candidateRunsAfterFirstCall);
        var seed = ProgramHash.Of(Improvers.Seed);
        var breach = Assert.Single(records.Journal.Events("r"), e => e.Kind == SafetyEventKinds.BudgetExceeded);
        Assert.Equal(seed, breach.ProgramHash);
        Assert.EndsWith("(2 meta-utility calls past the budget)", breach.Detail);
        var unsandboxed = Assert.Single(records.Journal.Events("r"), e => e.Kind == SafetyEventKinds.UnsandboxedRequest);
        Assert.Equal(seed, unsandboxed.ProgramHash);
        Assert.EndsWith("(1 request to run unsandboxed)", unsandboxed.Detail);
    }
}
