using Ouroboros.SelfRewarding;

namespace Ouroboros.Tests.SelfRewarding;

public class PairBuilderTests
{
    [Fact]
    public void Averages_the_judgements_that_parsed()
    {
        Assert.Equal(4.5, JudgeAverage.Of([4, 5, null]));
        Assert.Null(JudgeAverage.Of([null, null, null]));
    }

    [Fact]
    public void Chooses_the_first_of_equal_maxima_and_rejects_the_minimum()
    {
        var (pair, outcome) = PairBuilder.Build("p", ["a", "b", "c", "d"], [2, 4.33, 4.33, 1], 1);
        Assert.Equal(PairOutcome.Kept, outcome);
        Assert.Equal(new PreferencePair("p", "b", "d", 4.33, 1, 1), pair);
    }

    [Fact]
    public void Rejects_the_first_of_equal_minima_and_skips_unscored_candidates()
    {
        var (pair, _) = PairBuilder.Build("p", ["a", "b", "c", "d"], [null, 1, 3, 1], 2);
        Assert.Equal(("c", "b", 2), (pair!.Chosen, pair.Rejected, pair.Iteration));
    }

    [Fact]
    public void Equal_scores_are_discarded_and_too_few_scores_skipped_and_both_are_counted()
    {
        Assert.Equal(PairOutcome.Tied, PairBuilder.Build("p", ["a", "b", "c", "d"], [3, 3, 3, 3], 1).Outcome);
        Assert.Equal(PairOutcome.TooFewScores, PairBuilder.Build("p", ["a", "b", "c"], [null, 4, null], 1).Outcome);
        var set = PairBuilder.BuildAll(["p1", "p2", "p3", "p4"], [["a", "b"], ["a", "b"], ["a", "b"], ["a", "b"]],
            [[1, 2], [3, 3], [null, 5], [5, 0]], 1);
        Assert.Equal((2, 1, 1), (set.Kept, set.Tied, set.TooFewScores));
        Assert.Equal(["p1", "p4"], set.Pairs.Select(p => p.Prompt));
    }
}
