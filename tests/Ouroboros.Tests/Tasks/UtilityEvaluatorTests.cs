using Ouroboros.Safety;
using Ouroboros.Tasks;
using Ouroboros.Tests.Sandbox;

namespace Ouroboros.Tests.Tasks;

[Collection(SandboxCollection.Name)]
public class UtilityEvaluatorTests(SandboxFixture pool) : SandboxTest(pool)
{
    private const string Signature = "int[] Algorithm(int[][] trainSamples, int[] trainParity, int[][] testSamples)";

    [Fact]
    public async Task One_throwing_instance_scores_zero_and_the_others_still_count()
    {
        // Throws on exactly the instances whose first test sample starts with a 1 bit.
        var solution = TaskTesting.Solution(Signature, """
            if (testSamples[0][0] == 1) throw new InvalidOperationException("boom");
            return testSamples.Select(s => 0).ToArray();
            """);
        var result = await EvaluateAsync(LearningParityWithNoise.Create(), solution);
        var failed = result.Instances.Where(i => i.Status == "error").ToList();
        Assert.NotEmpty(failed);
        Assert.NotEqual(result.Instances.Count, failed.Count);
        Assert.All(failed, i => { Assert.Equal(0, i.Score); Assert.Contains("boom", i.Detail); });
        Assert.True(result.Utility > 0);
        Assert.Equal(result.Instances.Average(i => i.Score), result.Utility, 12);
    }

    [Fact]
    public async Task A_watcher_is_told_each_instance_as_its_result_arrives_and_when_the_evaluation_ends()
    {
        var task = LearningParityWithNoise.Create();
        var watcher = new Watcher();
        var result = await new UtilityEvaluator(Sandbox, watcher).EvaluateAsync(task, task.SeedSolution, Split.ValidationName);
        Assert.Equal((task.Id, result.Instances.Count), (watcher.Task, watcher.Instances));
        Assert.Equal(result.Instances.Count, watcher.Done); // one report per instance, as each arrived
        Assert.True(watcher.Ended);
    }

    private sealed class Watcher : IEvaluationObserver, IEvaluationWatch
    {
        public string? Task;
        public int Instances, Done;
        public bool Ended;
        public IEvaluationWatch Started(string task, int instances) { (Task, Instances) = (task, instances); return this; }
        public void InstanceDone() => Interlocked.Increment(ref Done);
        public void Dispose() => Ended = true;
    }

    [Fact]
    public async Task A_null_result_scores_zero_with_its_status_and_no_event()
    {
        var result = await EvaluateAsync(LearningParityWithNoise.Create(), TaskTesting.Solution(Signature, "return null;"));
        Assert.All(result.Instances, i => Assert.Equal(InstanceStatus.NullResult, i.Status));
        Assert.Equal(0, result.Utility);
        Assert.Empty(TaskTesting.Reported(result.Events));
    }

    [Fact]
    public async Task A_solution_that_does_not_compile_scores_zero_on_every_instance()
    {
        var result = await EvaluateAsync(LearningParityWithNoise.Create(), "public static class Solution { oops }");
        Assert.Equal(0, result.Utility);
        Assert.All(result.Instances, i => Assert.Equal("compile_error", i.Status));
        Assert.NotEmpty(result.Diagnostics);
        Assert.Equal(20, result.Summary.N);
    }

    [Fact]
    public async Task A_slow_instance_scores_zero_alone()
    {
        var task = new DownstreamTask("slow", Signature, "test", "",
            new SecretUtility(new ParityProblem(0), 4, 4, TimeSpan.FromSeconds(1)));
        // Hangs on the instances whose first test sample starts with a 1 bit, answers the rest.
        var solution = TaskTesting.Solution(Signature, """
            if (testSamples[0][0] == 1) System.Threading.Thread.Sleep(30_000);
            return testSamples.Select(s => 0).ToArray();
            """);
        var result = await new UtilityEvaluator(Sandbox).EvaluateAsync(task, solution, "val");
        var slow = result.Instances.Where(i => i.Status == "timeout").ToList();
        var expectedSlow = task.Utility.Validation.Seeds.Count(seed => new ParityProblem(0).Draw(seed).TestSamples[0][0] == 1);
        Assert.Equal(expectedSlow, slow.Count);
        Assert.All(slow, i => Assert.Equal(0, i.Score));
        Assert.All(result.Instances.Except(slow), i => Assert.Equal("ok", i.Status));
    }

    [Fact]
    public async Task Scores_stay_in_the_unit_interval_and_carry_an_interval()
    {
        foreach (var task in TaskCatalog.BuiltIn().Where(t => t.Id is "lpn" or "string-grid-distance"))
        {
            var result = await EvaluateAsync(task, task.SeedSolution, "test");
            Assert.InRange(result.Utility, 0, 1);
            Assert.InRange(result.Summary.Low, 0, result.Utility);
            Assert.InRange(result.Summary.High, result.Utility, 1);
            Assert.Equal(task.Utility.Test.Count, result.Summary.N);
        }
    }

    [Fact]
    public void Validation_and_test_seeds_are_STOP_s_and_disjoint()
    {
        foreach (var task in TaskCatalog.BuiltIn())
        {
            Assert.Equal(4321, task.Utility.Validation.FirstSeed);
            Assert.Equal(5678, task.Utility.Test.FirstSeed);
            Assert.Empty(task.Utility.Validation.Seeds.Intersect(task.Utility.Test.Seeds));
            Assert.Equal(25, task.Utility.Budget);
        }
    }
}
