using System.Text.Json.Nodes;
using Ouroboros.Safety;
using Ouroboros.Tasks;
using Ouroboros.Tests.Sandbox;

namespace Ouroboros.Tests.Tasks;

[Collection(SandboxCollection.Name)]
public class StringGridDistanceTests(SandboxFixture pool) : SandboxTest(pool)
{
    [Fact]
    public void Grid_distance_is_hamming_plus_the_changes_within_each_string()
    {
        Assert.Equal(0, StringGridDistance.GridDist("AAAA", "AAAA"));
        Assert.Equal(2 + 3 + 0, StringGridDistance.GridDist("ABAB", "AAAA")); // Hamming 2, 3 changes in s, none in t
        Assert.Equal(1 + 0 + 1, StringGridDistance.GridDist("BB", "AB"));
    }

    [Fact]
    public void The_scorer_gives_one_for_the_exact_distance_and_at_most_one_half_otherwise()
    {
        Assert.Equal(1.0, StringGridDistance.Score("AB", 2, JsonValue.Create("BB")).Score); // GridDist(BB, AB) = 1 + 0 + 1
        // GridDist(AB, AB) = 0 + 1 + 1 = 2: the identity can be exact.
        Assert.Equal(1.0, StringGridDistance.Score("AB", 2, JsonValue.Create("AB")).Score);
        Assert.Equal(0.5 - 1 / 12.0, StringGridDistance.Score("AB", 3, JsonValue.Create("AB")).Score, 12);
        // The worst possible miss stays in [0, 0.5].
        Assert.InRange(StringGridDistance.Score("ABABABAB", 0, JsonValue.Create("BABABABA")).Score, 0, 0.5);
    }

    [Theory]
    [InlineData("\"AAA\"", "length 2")]
    [InlineData("\"AC\"", "character 1 is 'C'")]
    [InlineData("[\"AB\"]", "expected a string")]
    [InlineData("12", "expected a string")]
    public void Outputs_that_are_not_a_string_of_t_s_length_over_AB_are_violations(string json, string why)
    {
        var grade = StringGridDistance.Score("AB", 2, JsonNode.Parse(json)!);
        Assert.Equal(0, grade.Score);
        Assert.Contains(why, grade.Violation);
    }

    // Returning t scores 1 only when the target happens to equal GridDist(t, t); otherwise
    // 0.5 − |2·changes(t) − dist| / (6·len). STOP's Table 1 reports u(s) = 43.9% for this seed; the
    // same rule on 50 of our seeded instances lands within a few points of it.
    [Theory]
    [InlineData("val")]
    [InlineData("test")]
    public async Task The_identity_seed_scores_about_0_44_as_in_STOP(string split)
    {
        var task = StringGridDistance.Create();
        var result = await EvaluateAsync(task, task.SeedSolution, split);
        Assert.InRange(result.Utility, 0.39, 0.49);
        var expected = task.Utility.SplitNamed(split).Seeds.Select(seed =>
        {
            var (t, dist) = StringGridDistance.Draw(seed);
            int d = StringGridDistance.GridDist(t, t);
            return d == dist ? 1.0 : 0.5 - Math.Abs(d - dist) / (6.0 * t.Length);
        }).Average();
        Assert.Equal(expected, result.Utility, 12);
    }

    [Fact]
    public async Task A_wrong_length_answer_is_reported()
    {
        var result = await EvaluateAsync(StringGridDistance.Create(),
            TaskTesting.Solution("string Algorithm(string t, int dist)", "return t + \"A\";"));
        Assert.Equal(0, result.Utility);
        Assert.All(result.Instances, i => Assert.Equal(InstanceStatus.InvalidOutput, i.Status));
        var e = Assert.Single(TaskTesting.Reported(result.Events));
        Assert.Equal(SafetyEventKinds.InvalidOutput, e.Kind);
        Assert.Contains("50 of 50 instances", e.Detail);
    }

    [Fact]
    public void Every_target_distance_is_reachable()
    {
        foreach (int seed in Enumerable.Range(Split.ValidationSeed, 100))
        {
            var (t, dist) = StringGridDistance.Draw(seed);
            Assert.InRange(t.Length, 1, StringGridDistance.MaxLength);
            // Exhaustive over short strings: some s of t's length has exactly the target distance.
            if (t.Length <= 12)
                Assert.Contains(Enumerable.Range(0, 1 << t.Length), mask =>
                    StringGridDistance.GridDist(string.Concat(Enumerable.Range(0, t.Length).Select(i => (mask >> i & 1) == 1 ? 'B' : 'A')), t) == dist);
        }
    }
}
