using System.Text.Json;
using System.Text.Json.Nodes;
using Ouroboros.Tasks;
using Ouroboros.Tests.Sandbox;

namespace Ouroboros.Tests.Tasks;

[Collection(SandboxCollection.Name)]
public class ThreeSatTests(SandboxFixture pool) : SandboxTest(pool)
{
    public static TheoryData<int> AllSplitSeeds()
    {
        var task = ThreeSat.Create();
        var data = new TheoryData<int>();
        foreach (var seed in task.Utility.Validation.Seeds.Concat(task.Utility.Test.Seeds)) data.Add(seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllSplitSeeds))]
    public void Every_instance_is_satisfied_by_its_planted_assignment_clause_by_clause(int seed)
    {
        var (formula, n, planted) = ThreeSat.Draw(seed);
        Assert.InRange(n, 5, 50);
        Assert.Equal(4 * n, formula.Length);
        foreach (var clause in formula)
        {
            Assert.Equal(3, clause.Length);
            Assert.Equal(3, clause.Select(Math.Abs).Distinct().Count());
            Assert.All(clause, literal => Assert.InRange(Math.Abs(literal), 1, n));
            // Written out independently of ThreeSat.Satisfies: some literal agrees with the plant.
            bool satisfied = false;
            foreach (int literal in clause)
                if (literal > 0 ? planted[literal] : !planted[-literal]) satisfied = true;
            Assert.True(satisfied, $"clause [{string.Join(", ", clause)}] is unsatisfied by the planted assignment");
        }
        Assert.Equal(1.0, ThreeSat.Score(formula, n, JsonSerializer.SerializeToNode(planted)!).Score);
    }

    [Fact]
    public void An_assignment_that_leaves_a_clause_unsatisfied_scores_zero()
    {
        int[][] formula = [[1, 2, 3], [-1, -2, 3]];
        Assert.Equal(1.0, ThreeSat.Score(formula, 3, JsonNode.Parse("[false, true, false, true]")!).Score);
        Assert.Equal(0.0, ThreeSat.Score(formula, 3, JsonNode.Parse("[false, true, true, false]")!).Score);
        Assert.Null(ThreeSat.Score(formula, 3, JsonNode.Parse("[false, true, true, false]")!).Violation);
    }

    [Theory]
    [InlineData("[true, true, true]", "got 3 elements")]
    [InlineData("[false, 1, 0, 1]", "element 1 is the number 1")]
    [InlineData("[[false], [true], [true], [true]]", "element 0 is an array of 1")]
    [InlineData("\"TTTT\"", "expected an array of 4 booleans")]
    public void Outputs_that_are_not_n_plus_one_booleans_are_violations(string json, string why)
    {
        var grade = ThreeSat.Score([[1, 2, 3]], 3, JsonNode.Parse(json)!);
        Assert.Equal(0, grade.Score);
        Assert.Contains(why, grade.Violation);
    }

    [Fact]
    public async Task The_walksat_seed_solves_some_formulas_and_its_give_ups_score_zero_alone()
    {
        var task = ThreeSat.Create();
        var result = await EvaluateAsync(task, task.SeedSolution);
        Assert.All(result.Instances, i => Assert.Contains(i.Status, new[] { "ok", InstanceStatus.NullResult }));
        Assert.All(result.Instances.Where(i => i.Status == "ok"), i => Assert.Equal(1.0, i.Score));
        Assert.InRange(result.Utility, 0.05, 1.0);
        Assert.Empty(TaskTesting.Reported(result.Events));
    }
}
