using System.Text.Json;
using System.Text.Json.Nodes;
using Ouroboros.Tasks;
using Ouroboros.Tests.Sandbox;

namespace Ouroboros.Tests.Tasks;

[Collection(SandboxCollection.Name)]
public class QuadraticAssignmentTests(SandboxFixture pool) : SandboxTest(pool)
{
    private static IEnumerable<int[]> Permutations(int[] items) => items.Length <= 1
        ? [items]
        : items.SelectMany(x => Permutations(items.Where(y => y != x).ToArray()).Select(rest => rest.Prepend(x).ToArray()));

    private static JsonNode Json(int[] a) => JsonSerializer.SerializeToNode(a)!;

    [Fact]
    public void The_bounds_hold_for_every_permutation_of_small_instances()
    {
        foreach (int seed in Enumerable.Range(1, 20))
        {
            var (f, d, p) = QuadraticAssignment.Draw(seed, n: 5);
            var (lower, upper) = QuadraticAssignment.CostBounds(f, d, p);
            var costs = Permutations([0, 1, 2, 3, 4]).Select(a => QuadraticAssignment.Cost(f, d, p, a)).ToList();
            Assert.Equal(120, costs.Count);
            Assert.All(costs, c => Assert.InRange(c, lower - 1e-12, upper + 1e-12));
        }
    }

    [Fact]
    public void A_cheaper_assignment_always_scores_higher()
    {
        var (f, d, p) = QuadraticAssignment.Draw(7, n: 6);
        var scored = Permutations([0, 1, 2, 3, 4, 5])
            .Select(a => (Cost: QuadraticAssignment.Cost(f, d, p, a), Score: QuadraticAssignment.Score(f, d, p, Json(a)).Score))
            .OrderBy(x => x.Cost).ToList();
        Assert.All(scored, x => Assert.InRange(x.Score, 0, 1));
        for (int i = 1; i < scored.Count; i++)
            Assert.True(scored[i].Score <= scored[i - 1].Score, "the score must fall as the cost rises");
        Assert.True(scored[0].Score > scored[^1].Score);
    }

    [Fact]
    public void A_random_permutation_scores_about_one_half_on_full_size_instances()
    {
        var random = new Random(1);
        var scores = Enumerable.Range(Split.ValidationSeed, 50).Select(seed =>
        {
            var (f, d, p) = QuadraticAssignment.Draw(seed);
            var a = Enumerable.Range(0, QuadraticAssignment.Size).ToArray();
            random.Shuffle(a);
            return QuadraticAssignment.Score(f, d, p, Json(a)).Score;
        }).ToList();
        Assert.InRange(scores.Average(), 0.4, 0.6);
    }

    [Theory]
    [InlineData("[0,0,2]", "location 0 is assigned twice")]
    [InlineData("[0,1]", "got 2 elements")]
    [InlineData("[0,1,3]", "element 2 is 3")]
    [InlineData("[0,1,-1]", "element 2 is -1")]
    public void A_result_that_is_not_a_permutation_is_a_violation(string json, string why)
    {
        var (f, d, p) = QuadraticAssignment.Draw(1, n: 3);
        var grade = QuadraticAssignment.Score(f, d, p, JsonNode.Parse(json)!);
        Assert.Equal(0, grade.Score);
        Assert.Contains(why, grade.Violation);
    }

    [Fact]
    public async Task The_annealing_seed_beats_the_identity_assignment()
    {
        var task = QuadraticAssignment.Create();
        var seed = await EvaluateAsync(task, task.SeedSolution);
        var identity = await EvaluateAsync(task, TaskTesting.Solution(QuadraticAssignment.Signature + "", "return Enumerable.Range(0, f.Length).ToArray();"));
        Assert.All(seed.Instances, i => Assert.Equal("ok", i.Status));
        Assert.True(seed.Utility > identity.Utility, $"seed {seed.Utility}, identity {identity.Utility}");
        Assert.InRange(seed.Utility, 0.5, 1.0);
    }
}
