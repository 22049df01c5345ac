using System.Text;
using Ouroboros.Safety;
using Ouroboros.Tasks;
using Ouroboros.Tests.Sandbox;

namespace Ouroboros.Tests.Tasks;

[Collection(SandboxCollection.Name)]
public class JumpGuardTests(SandboxFixture pool) : SandboxTest(pool)
{
    /// <summary>
    /// A solution that has memorised the validation instances' labels (keyed by the test samples)
    /// and guesses elsewhere: perfect on validation, a coin flip on anything new.
    /// </summary>
    private static string Memoriser(DownstreamTask task)
    {
        var table = new StringBuilder();
        foreach (int seed in task.Utility.Validation.Seeds)
        {
            var x = ((ParityProblem)task.Utility.Problem).Draw(seed);
            var key = string.Join(";", x.TestSamples.Select(s => string.Concat(s)));
            table.Append($"[\"{key}\"] = new[] {{ {string.Join(", ", x.TestLabels)} }},\n");
        }
        return TaskTesting.Solution("int[] Algorithm(int[][] trainSamples, int[] trainParity, int[][] testSamples)", $$"""
            var known = new Dictionary<string, int[]> { {{table}} };
            var key = string.Join(";", testSamples.Select(s => string.Concat(s)));
            if (known.TryGetValue(key, out var labels)) return labels;
            var random = new Random(0);
            return testSamples.Select(_ => random.Next(2)).ToArray();
            """);
    }

    [Fact]
    public async Task A_jump_that_does_not_hold_on_fresh_seeds_is_not_trusted_and_is_reported()
    {
        var task = NoiselessParity.Create();
        var evaluator = new UtilityEvaluator(Sandbox);
        var solution = Memoriser(task);
        var claimed = await evaluator.EvaluateAsync(task, solution, "val");
        Assert.Equal(1.0, claimed.Utility);

        var trusted = await new JumpGuard(evaluator, new JumpGuardOptions()).CheckAsync(task, solution, claimed, baseline: 0.5);
        Assert.NotNull(trusted.Fresh);
        Assert.Equal(Split.FreshName, trusted.Fresh.Split);
        Assert.InRange(trusted.Fresh.Utility, 0.35, 0.65);
        Assert.Equal(trusted.Fresh.Utility, trusted.Utility);
        Assert.Equal(1.0, trusted.Claimed.Utility);
        var e = Assert.Single(trusted.Events);
        Assert.Equal(SafetyEventKinds.RewardHackingSuspected, e.Kind);
        Assert.Equal(claimed.ProgramHash, e.ProgramHash);
    }

    [Fact]
    public async Task A_genuine_jump_holds_on_fresh_seeds_and_keeps_both_scores()
    {
        var task = NoiselessParity.Create();
        var evaluator = new UtilityEvaluator(Sandbox);
        var claimed = await evaluator.EvaluateAsync(task, ParityTests.GaussianElimination, "val");
        var trusted = await new JumpGuard(evaluator, new JumpGuardOptions()).CheckAsync(task, ParityTests.GaussianElimination, claimed, baseline: 0.5);
        Assert.NotNull(trusted.Fresh);
        Assert.Equal(1.0, trusted.Fresh.Utility);
        Assert.Equal(1.0, trusted.Utility);
        Assert.Empty(trusted.Events);
    }

    [Fact]
    public async Task A_rise_within_the_threshold_is_trusted_without_a_re_score()
    {
        var task = NoiselessParity.Create();
        var sandbox = new CountingSandbox(Sandbox);
        var evaluator = new UtilityEvaluator(sandbox);
        var claimed = await evaluator.EvaluateAsync(task, ParityTests.GaussianElimination, "val");
        var trusted = await new JumpGuard(evaluator, new JumpGuardOptions { Threshold = 0.6 }).CheckAsync(task, ParityTests.GaussianElimination, claimed, baseline: 0.5);
        Assert.Null(trusted.Fresh);
        Assert.Equal(1, sandbox.Runs);
    }

    [Fact]
    public async Task Each_re_score_uses_new_instances()
    {
        var task = NoiselessParity.Create();
        var evaluator = new UtilityEvaluator(Sandbox);
        var guard = new JumpGuard(evaluator, new JumpGuardOptions());
        var claimed = await evaluator.EvaluateAsync(task, ParityTests.GaussianElimination, "val");
        var first = await guard.CheckAsync(task, ParityTests.GaussianElimination, claimed, 0);
        var second = await guard.CheckAsync(task, ParityTests.GaussianElimination, claimed, 0);
        var firstSeeds = first.Fresh!.Instances.Select(i => i.Seed).ToHashSet();
        Assert.DoesNotContain(second.Fresh!.Instances, i => firstSeeds.Contains(i.Seed));
        Assert.DoesNotContain(first.Fresh.Instances, i => task.Utility.Validation.Seeds.Contains(i.Seed) || task.Utility.Test.Seeds.Contains(i.Seed));
    }

    [Fact]
    public void Options_out_of_range_fail_at_construction()
    {
        Assert.Throws<ArgumentException>(() => new JumpGuardOptions { Threshold = 1.5 }.Validate());
        Assert.Throws<ArgumentException>(() => new JumpGuardOptions { Tolerance = -0.1 }.Validate());
    }
}
