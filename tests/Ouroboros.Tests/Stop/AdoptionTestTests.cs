using Ouroboros.Stop;

namespace Ouroboros.Tests.Stop;

public sealed class AdoptionTestTests
{
    private static MetaUtilityScore Score(params double[] val) => new("h", val, val);

    [Fact]
    public void A_candidate_clearly_better_on_validation_is_adopted()
    {
        var decision = AdoptionTest.Decide(Score(0.80, 0.82, 0.81), Score(0.50, 0.52, 0.51));
        Assert.True(decision.Adopt);
        Assert.StartsWith("adopted", decision.Reason);
    }

    [Fact]
    public void A_gain_inside_one_standard_error_keeps_the_current_improver()
    {
        // Means 0.60 vs 0.55, but the runs spread by ±0.3: the difference is noise.
        var decision = AdoptionTest.Decide(Score(0.30, 0.90, 0.60), Score(0.25, 0.85, 0.55));
        Assert.False(decision.Adopt);
        Assert.Contains("not above one standard error", decision.Reason);
    }

    [Fact]
    public void A_worse_or_equal_candidate_is_never_adopted_unlike_STOP()
    {
        // STOP adopted any candidate whose meta-utility was not 0 (its issue #7).
        Assert.False(AdoptionTest.Decide(Score(0.40, 0.40), Score(0.50, 0.50)).Adopt);
        Assert.False(AdoptionTest.Decide(Score(0.50, 0.50), Score(0.50, 0.50)).Adopt);
        Assert.True(AdoptionTest.Decide(Score(0.51, 0.51), Score(0.50, 0.50)).Adopt); // exact scores: any gain counts
    }
}
