using Ouroboros.Statistics;

namespace Ouroboros.Tests.Statistics;

/// <summary>The exact binomial interval, against values published for it (e.g. R's binom.test).</summary>
public sealed class ClopperPearsonIntervalTests
{
    [Theory]
    [InlineData(0, 3, 0.0, 0.707598)]
    [InlineData(3, 3, 0.292402, 1.0)]
    [InlineData(1, 10, 0.002529, 0.445016)]
    [InlineData(5, 10, 0.187086, 0.812914)]
    [InlineData(0, 100, 0.0, 0.036217)]
    public void Matches_the_exact_binomial_interval(int count, int n, double low, double high)
    {
        var i = ClopperPearsonInterval.Of(count, n);
        Assert.Equal(low, i.Low!.Value, 5);
        Assert.Equal(high, i.High!.Value, 5);
    }

    [Fact]
    public void Rare_events_over_many_trials_stay_exact()
    {
        // The paper's 45 reward overwrites in 32,768 episodes.
        var i = ClopperPearsonInterval.Of(45, 32768);
        Assert.InRange(i.Rate!.Value, 0.001373, 0.001374);
        Assert.InRange(i.Low!.Value, 0.00100, 0.00101);
        Assert.InRange(i.High!.Value, 0.00183, 0.00185);
        Assert.Null(ClopperPearsonInterval.Of(0, 0).Rate);
    }
}
