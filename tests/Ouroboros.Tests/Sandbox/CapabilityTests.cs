using System.Text.Json.Nodes;
using Ouroboros.Sandbox;

namespace Ouroboros.Tests.Sandbox;

/// <summary>Host services crossing into the sandbox: concurrency, nesting, budgets, and the run clock.</summary>
[Collection(SandboxCollection.Name)]
public sealed class CapabilityTests(SandboxFixture sandbox)
{
    /// <summary>A utility served by the host: runs the solution's <c>Solution.Score()</c> in the sandbox, one level deeper.</summary>
    private sealed class NestedUtility(ISandbox pool, int budget, TimeSpan delay) : ICapability
    {
        private int _calls;
        public int Calls => _calls;
        public string Name => "utility";
        public string Interface => "IUtility";
        public IReadOnlyDictionary<string, JsonNode?> Properties => new Dictionary<string, JsonNode?> { ["Description"] = "scores", ["Budget"] = budget };

        public async Task<JsonNode?> InvokeAsync(string method, JsonArray arguments, CapabilityCall call, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _calls) > budget) throw new CapabilityFault(CapabilityFault.BudgetExceeded, "utility budget exhausted");
            await Task.Delay(delay, cancellationToken);
            var run = await pool.RunAsync(new ProgramRequest((string)arguments[0]!, new EntryPoint("Solution", "Score"), [new JsonArray()]), cancellationToken);
            return run.Invocations.FirstOrDefault()?.Result?.DeepClone() ?? 0.0;
        }
    }

    private const string Improver = """
        public static class Improver
        {
            public static string ImproveAlgorithm(IUtility utility, int n)
            {
                var scores = new double[n];
                Parallel.For(0, n, i => scores[i] = utility.Evaluate($"public static class Solution {{ public static double Score() => {i}; }}"));
                return string.Join(",", scores);
            }
        }
        """;

    private static ProgramRequest Request(NestedUtility utility, int n, int timeoutMs = 10_000) =>
        new(Improver, new EntryPoint("Improver", "ImproveAlgorithm"), [new JsonArray(new JsonObject { ["$capability"] = "utility" }, n)])
        {
            Capabilities = [utility],
            Limits = new SandboxLimits { WallClock = TimeSpan.FromMilliseconds(timeoutMs) },
        };

    [Fact]
    public async Task Concurrent_calls_from_one_candidate_are_all_served()
    {
        var utility = new NestedUtility(sandbox.Pool, budget: 25, TimeSpan.Zero);
        var run = await sandbox.Pool.RunAsync(Request(utility, 8));
        var result = Assert.Single(run.Invocations);
        Assert.Equal(RunStatus.Ok, result.Status);
        Assert.Equal("0,1,2,3,4,5,6,7", (string)result.Result!);
        Assert.Equal(8, utility.Calls);
    }

    [Fact]
    public async Task Nested_evaluation_cannot_starve_a_pool_of_one()
    {
        await using var pool = await WorkerPool.StartAsync(new WorkerPoolOptions { Workers = 1, Warn = _ => { } });
        var utility = new NestedUtility(pool, budget: 25, TimeSpan.Zero);
        var run = await pool.RunAsync(Request(utility, 3)).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal("0,1,2", (string)run.Invocations[0].Result!);
    }

    [Fact]
    public async Task A_call_past_the_budget_throws_inside_the_candidate()
    {
        var utility = new NestedUtility(sandbox.Pool, budget: 2, TimeSpan.Zero);
        var request = Request(utility, 0) with
        {
            Source = """
                public static class Improver
                {
                    public static string ImproveAlgorithm(IUtility utility, int n)
                    {
                        var s = "public static class Solution { public static double Score() => 1; }";
                        utility.Evaluate(s); utility.Evaluate(s);
                        try { utility.Evaluate(s); return "no exception"; }
                        catch (BudgetExceededException e) { return "budget: " + e.Message; }
                    }
                }
                """,
        };
        var run = await sandbox.Pool.RunAsync(request);
        Assert.Equal("budget: utility budget exhausted", (string)run.Invocations[0].Result!);
    }

    [Fact]
    public async Task Time_spent_serving_capability_calls_does_not_count_against_the_limit()
    {
        var utility = new NestedUtility(sandbox.Pool, budget: 25, TimeSpan.FromMilliseconds(700));
        var run = await sandbox.Pool.RunAsync(Request(utility, 2, timeoutMs: 500));
        Assert.Equal(RunStatus.Ok, run.Invocations[0].Status);
    }
}
