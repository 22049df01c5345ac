using Ouroboros.SelfRewarding;

namespace Ouroboros.Tests.SelfRewarding;

public class JudgeTests
{
    private static readonly SamplingSettings Sampling = new(0.7, 0.9, 64);

    [Fact]
    public async Task The_self_judge_asks_the_model_three_times_and_averages_what_parsed()
    {
        var model = new FakeModel("m1");
        var scores = await new SelfJudge(3, Sampling).ScoreAsync(model, ["p"], [["a..", "b", ""]], 1, CancellationToken.None);
        Assert.Equal(3, model.JudgeCalls);
        Assert.Equal([2.0, 0.0, 0.0], scores[0].Select(c => c.Score!.Value));
        Assert.All(scores[0], c => Assert.Equal(3, c.Judgements.Count));
    }

    [Fact]
    public async Task The_shuffled_judge_permutes_scores_within_a_prompt_reproducibly_and_keeps_the_judgements_in_place()
    {
        var model = new FakeModel("m1");
        string[] row = ["", ".", "..", "...", "....", "....", ".", ".."];
        var self = await new SelfJudge(1, Sampling).ScoreAsync(model, ["p"], [row], 5, CancellationToken.None);
        var once = await new ShuffledJudge(new SelfJudge(1, Sampling)).ScoreAsync(model, ["p"], [row], 5, CancellationToken.None);
        var again = await new ShuffledJudge(new SelfJudge(1, Sampling)).ScoreAsync(model, ["p"], [row], 5, CancellationToken.None);
        Assert.Equal(once[0].Select(c => c.Score), again[0].Select(c => c.Score));
        Assert.Equal(self[0].Select(c => c.Score).Order(), once[0].Select(c => c.Score).Order());
        Assert.NotEqual(self[0].Select(c => c.Score), once[0].Select(c => c.Score));
        Assert.Equal(self[0].Select(c => c.Judgements[0]), once[0].Select(c => c.Judgements[0]));
    }

    [Fact]
    public void Shuffled_scores_carry_no_information_about_which_candidate_is_better()
    {
        // Over many prompts whose true order is known (candidate i scores i), the chosen candidate of a
        // shuffled pair is the better one about half the time, never always.
        var rows = Enumerable.Range(0, 400).Select(p => (IReadOnlyList<CandidateScore>)Enumerable.Range(0, 4).Select(i => new CandidateScore([], [], i)).ToList()).ToList();
        int better = 0;
        for (int p = 0; p < rows.Count; p++)
        {
            var shuffled = ShuffledJudge.Shuffle(rows[p], LoopSeed.Of(9, $"p{p}"));
            var (pair, _) = PairBuilder.Build("q", ["0", "1", "2", "3"], shuffled.Select(c => c.Score).ToList(), 1);
            if (int.Parse(pair!.Chosen) > int.Parse(pair.Rejected)) better++;
        }
        Assert.InRange(better, 160, 240);
    }

    [Fact]
    public async Task The_oracle_judge_is_the_rubric()
    {
        var scores = await new OracleJudge(new FakeSetup()).ScoreAsync(new FakeModel("m1"), ["p"], [["a", "a.."]], 1, CancellationToken.None);
        Assert.Equal([4.0, 2.0], scores[0].Select(c => c.Score!.Value));
    }
}
