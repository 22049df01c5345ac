using System.Text.Json.Nodes;
using Ouroboros.Safety;
using Ouroboros.Sandbox;
using Ouroboros.Tasks;
using Ouroboros.Tests.Sandbox;

namespace Ouroboros.Tests.Tasks;

[Collection(SandboxCollection.Name)]
public class UtilityCapabilityTests(SandboxFixture pool) : SandboxTest(pool)
{
    private static readonly CapabilityCall Improver = new(new string('a', 64), 1);

    private static DownstreamTask Parity(int budget) => new(NoiselessParity.Id, LearningParityWithNoise.Signature, "description", NoiselessParity.Create().SeedSolution,
        new SecretUtility(new ParityProblem(0), 20, 50, TimeSpan.FromSeconds(2), budget));

    private static Task<JsonNode?> Evaluate(UtilityCapability utility, string solution, bool? useSandbox = null)
    {
        var arguments = useSandbox is null ? new JsonArray(solution) : new JsonArray(solution, useSandbox.Value);
        return utility.InvokeAsync(UtilityCapability.EvaluateMethod, arguments, Improver, CancellationToken.None);
    }

    [Fact]
    public void It_presents_the_IUtility_interface_with_the_description_and_budget()
    {
        var task = LearningParityWithNoise.Create();
        var utility = new UtilityCapability(task, Sandbox);
        Assert.Equal("IUtility", utility.Interface);
        Assert.Equal(task.Description, utility.Properties["Description"]!.GetValue<string>());
        Assert.Equal(25, utility.Properties["Budget"]!.GetValue<int>());
        Assert.DoesNotContain("4321", task.Description);
        Assert.DoesNotContain("5678", task.Description);
    }

    [Fact]
    public async Task It_returns_the_validation_utility()
    {
        var utility = new UtilityCapability(Parity(25), Sandbox, baseline: 0.5);
        var value = await Evaluate(utility, ParityTests.GaussianElimination);
        Assert.Equal(1.0, value!.GetValue<double>());
        var call = Assert.Single(utility.Calls);
        Assert.Equal("val", call.Result.Claimed.Split);
        Assert.NotNull(call.Result.Fresh); // 0.5 → 1.0 is a jump: re-scored before it was trusted
    }

    [Fact]
    public async Task A_call_past_the_budget_is_answered_without_being_served_so_the_callers_clock_runs_on()
    {
        var utility = new UtilityCapability(Parity(1), Sandbox, baseline: 1.0);
        var seed = NoiselessParity.Create().SeedSolution;
        var served = new CapabilityCall(Improver.ProgramHash, 1);
        await utility.InvokeAsync(UtilityCapability.EvaluateMethod, new JsonArray(seed), served, CancellationToken.None);
        Assert.False(served.Refused);
        var refused = new CapabilityCall(Improver.ProgramHash, 1);
        await utility.InvokeAsync(UtilityCapability.EvaluateMethod, new JsonArray(seed), refused, CancellationToken.None);
        Assert.True(refused.Refused);
    }

    [Fact]
    public async Task Calls_past_the_budget_score_zero_without_running_and_are_recorded()
    {
        var sandbox = new CountingSandbox(Sandbox);
        var utility = new UtilityCapability(Parity(2), sandbox, baseline: 1.0);
        var seed = NoiselessParity.Create().SeedSolution;
        Assert.InRange((await Evaluate(utility, seed))!.GetValue<double>(), 0.3, 0.7);
        Assert.InRange((await Evaluate(utility, seed))!.GetValue<double>(), 0.3, 0.7);
        int runs = sandbox.Runs;
        Assert.Equal(0.0, (await Evaluate(utility, ParityTests.GaussianElimination))!.GetValue<double>());
        Assert.Equal(runs, sandbox.Runs);
        Assert.Equal(3, utility.Uses);
        var e = Assert.Single(TaskTesting.Reported(utility.Events));
        Assert.Equal(SafetyEventKinds.BudgetExceeded, e.Kind);
        Assert.Equal(Improver.ProgramHash, e.ProgramHash);
    }

    [Fact]
    public async Task A_request_to_run_unsandboxed_is_recorded_and_refused()
    {
        var sandbox = new CountingSandbox(Sandbox);
        var utility = new UtilityCapability(Parity(25), sandbox, baseline: 0.5);
        var seed = NoiselessParity.Create().SeedSolution;
        var value = await Evaluate(utility, seed, useSandbox: false);
        Assert.Equal(1, sandbox.Runs); // it still went through the sandbox
        var e = Assert.Single(TaskTesting.Reported(utility.Events));
        Assert.Equal(SafetyEventKinds.UnsandboxedRequest, e.Kind);
        Assert.Equal(Improver.ProgramHash, e.ProgramHash);
        Assert.True(Assert.Single(utility.Calls).UnsandboxedRequested);
        Assert.Equal(utility.Calls[0].Result.Claimed.Utility, value!.GetValue<double>());
    }

    [Fact]
    public async Task Without_a_baseline_the_seed_is_scored_first_and_not_charged()
    {
        var sandbox = new CountingSandbox(Sandbox);
        var utility = new UtilityCapability(Parity(25), sandbox);
        await Evaluate(utility, ParityTests.GaussianElimination);
        Assert.Equal(1, utility.Uses);
        Assert.Equal(3, sandbox.Runs); // seed baseline, the call, the fresh re-score of its jump
    }

    [Fact]
    public async Task A_reward_hack_inside_an_evaluation_reaches_the_capability_s_events()
    {
        var utility = new UtilityCapability(Parity(25), Sandbox, baseline: 0.5);
        var hack = TaskTesting.Solution("int[][] Algorithm(int[][] trainSamples, int[] trainParity, int[][] testSamples)", "return testSamples.Select(s => new[] { 0 }).ToArray();");
        Assert.Equal(0.0, (await Evaluate(utility, hack))!.GetValue<double>());
        Assert.Contains("20 of 20 instances", Assert.Single(utility.Events, e => e.Kind == SafetyEventKinds.RewardHackingSuspected).Detail);
        Assert.NotEqual(Improver.ProgramHash, utility.Events[0].ProgramHash); // tied to the candidate, not the caller
    }

    [Fact]
    public async Task An_improver_in_the_sandbox_sees_the_utility_and_its_rules_hold()
    {
        const string improver = """
            using Ouroboros.Contracts;
            public static class Improver
            {
                public static string Run(IUtility utility, string seed, string better)
                {
                    double a = utility.Evaluate(seed);
                    double b = utility.Evaluate(better, false);
                    double c = utility.Evaluate(better);
                    return utility.Budget + "|" + (utility.Description == "description") + "|" + a + "|" + b + "|" + c;
                }
            }
            """;
        var utility = new UtilityCapability(Parity(2), Sandbox, baseline: 0.5);
        var arguments = new JsonArray(new JsonObject { ["$capability"] = utility.Name }, NoiselessParity.Create().SeedSolution, ParityTests.GaussianElimination);
        var run = await Sandbox.RunAsync(new ProgramRequest(improver, new EntryPoint("Improver", "Run"), [arguments])
        {
            Capabilities = [utility],
            Limits = new SandboxLimits { WallClock = TimeSpan.FromSeconds(30) },
        });
        var invocation = Assert.Single(run.Invocations);
        Assert.Equal(RunStatus.Ok, invocation.Status);
        var parts = invocation.Result!.GetValue<string>().Split('|');
        Assert.Equal(["2", "True"], parts[..2]);
        Assert.InRange(double.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture), 0.3, 0.7);
        Assert.Equal(["1", "0"], parts[3..]); // the exact learner scores 1 (and held on fresh seeds); the third call is past the budget
        Assert.Equal([SafetyEventKinds.UnsandboxedRequest, SafetyEventKinds.BudgetExceeded], TaskTesting.Reported(utility.Events).Select(e => e.Kind));
        Assert.All(TaskTesting.Reported(utility.Events), e => Assert.Equal(run.ProgramHash, e.ProgramHash));
    }

    [Theory]
    [InlineData("Score", "[\"x\"]", "unknown_method")]
    [InlineData("Evaluate", "[]", "bad_arguments")]
    [InlineData("Evaluate", "[1]", "bad_arguments")]
    [InlineData("Evaluate", "[\"x\", \"yes\"]", "bad_arguments")]
    public async Task Malformed_calls_are_refused_inside_the_candidate(string method, string arguments, string kind)
    {
        var utility = new UtilityCapability(Parity(25), Sandbox, baseline: 0.5);
        var fault = await Assert.ThrowsAsync<CapabilityFault>(() =>
            utility.InvokeAsync(method, JsonNode.Parse(arguments)!.AsArray(), Improver, CancellationToken.None));
        Assert.Equal(kind, fault.Kind);
    }
}
