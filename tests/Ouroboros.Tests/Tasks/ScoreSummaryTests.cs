using Ouroboros.Tasks;

namespace Ouroboros.Tests.Tasks;

public class ScoreSummaryTests
{
    [Theory]
    [InlineData(1, 12.706)]
    [InlineData(10, 2.228)]
    [InlineData(19, 2.093)]
    [InlineData(49, 2.010)]
    [InlineData(99, 1.984)]
    public void The_t_quantile_matches_tables(int df, double expected) =>
        Assert.Equal(expected, ScoreSummary.StudentT975(df), 3);

    [Fact]
    public void The_interval_is_mean_plus_minus_t_times_the_standard_error()
    {
        double[] scores = [0, 1, 0, 1];
        var s = ScoreSummary.Of(scores);
        Assert.Equal(0.5, s.Mean);
        Assert.Equal(4, s.N);
        // sd = 0.57735, se = 0.288675, t(3) = 3.182 → half-width 0.918, clipped to [0, 1].
        Assert.Equal(0, s.Low);
        Assert.Equal(1, s.High);
        var narrow = ScoreSummary.Of(Enumerable.Repeat(0.4, 10).Append(0.6).ToList());
        Assert.True(narrow.Low > 0.35 && narrow.High < 0.48, narrow.ToString());
    }
}
