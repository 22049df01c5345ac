using System.Text.Json;
using System.Text.Json.Nodes;
using Ouroboros.Tasks;
using Ouroboros.Tests.Sandbox;

namespace Ouroboros.Tests.Tasks;

[Collection(SandboxCollection.Name)]
public class MaxCutTests(SandboxFixture pool) : SandboxTest(pool)
{
    private static int[][] RandomGraph(int seed, int n)
    {
        var random = new Random(seed);
        var w = Enumerable.Range(0, n).Select(_ => new int[n]).ToArray();
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                if (random.NextDouble() < 0.5) w[i][j] = w[j][i] = random.Next(1, 11);
        return w;
    }

    [Theory]
    [InlineData(1, 4)]
    [InlineData(2, 6)]
    [InlineData(3, 8)]
    [InlineData(4, 10)]
    public void Scores_match_a_brute_force_cut_over_all_partitions(int seed, int n)
    {
        var w = RandomGraph(seed, n);
        int total = 0;
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) total += w[i][j];
        double bestScore = 0;
        int bestCut = 0;
        for (int mask = 0; mask < 1 << n; mask++)
        {
            var side = Enumerable.Range(0, n).Select(v => mask >> v & 1).ToArray();
            int cut = 0;
            for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) if (side[i] != side[j]) cut += w[i][j];
            double score = MaxCut.Score(w, JsonSerializer.SerializeToNode(side)!).Score;
            Assert.Equal((double)cut / total, score, 12);
            bestScore = Math.Max(bestScore, score);
            bestCut = Math.Max(bestCut, cut);
        }
        Assert.Equal((double)bestCut / total, bestScore, 12);
        Assert.True(bestScore <= 1.0);
    }

    [Fact]
    public void A_graph_without_edges_scores_one_for_any_partition()
    {
        int[][] w = [[0, 0], [0, 0]];
        Assert.Equal(1.0, MaxCut.Score(w, JsonNode.Parse("[0, 0]")!).Score);
    }

    [Theory]
    [InlineData("[0, 1, 0]", "got 3 elements")]
    [InlineData("[0, 2]", "element 1 is 2")]
    [InlineData("[-1, 1]", "element 0 is -1")]
    [InlineData("[true, false]", "the boolean true")]
    public void Outputs_that_are_not_a_0_1_side_per_vertex_are_violations(string json, string why)
    {
        var grade = MaxCut.Score([[0, 3], [3, 0]], JsonNode.Parse(json)!);
        Assert.Equal(0, grade.Score);
        Assert.Contains(why, grade.Violation);
    }

    [Fact]
    public void Generated_graphs_have_STOP_s_size_density_and_weights()
    {
        long edges = 0, pairs = 0;
        foreach (int seed in Enumerable.Range(Split.ValidationSeed, 10))
        {
            var w = MaxCut.Draw(seed);
            int n = w.Length;
            Assert.InRange(n, 50, 200);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(0, w[i][i]);
                for (int j = i + 1; j < n; j++)
                {
                    Assert.Equal(w[i][j], w[j][i]);
                    if (w[i][j] != 0) { Assert.InRange(w[i][j], 1, 10); edges++; }
                    pairs++;
                }
            }
        }
        Assert.InRange((double)edges / pairs, 0.38, 0.42);
    }

    [Fact]
    public async Task The_greedy_seed_cuts_more_than_half_the_weight()
    {
        // A random partition cuts half the weight in expectation; greedy placement does better.
        var task = MaxCut.Create();
        var result = await EvaluateAsync(task, task.SeedSolution);
        Assert.All(result.Instances, i => Assert.Equal("ok", i.Status));
        Assert.InRange(result.Utility, 0.5, 1.0);
    }
}
