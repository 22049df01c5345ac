using Ouroboros.Statistics;

namespace Ouroboros.Tests.Statistics;

public class MeanIntervalTests
{
    [Theory]
    [InlineData(1, 12.706)]
    [InlineData(4, 2.776)]
    [InlineData(30, 2.042)]
    [InlineData(40, 2.021)]
    [InlineData(120, 1.980)]
    public void The_t_quantile_matches_printed_tables(int df, double expected) =>
        Assert.Equal(expected, StudentT.Quantile975(df), 3);

    [Fact]
    public void Five_runs_use_t_with_four_degrees_of_freedom()
    {
        // mean 0.5; s² = (0.01 + 0.01) / 4 = 0.005; se = √(0.005 / 5) = 0.0316228; half = 2.776 · se = 0.0877848.
        var m = MeanInterval.Of([0.4, 0.5, 0.6, 0.5, 0.5]);
        Assert.Equal(0.5, m.Mean, 12);
        Assert.Equal(5, m.N);
        Assert.Equal(0.4122152, m.Low!.Value, 6);
        Assert.Equal(0.5877848, m.High!.Value, 6);
        Assert.Equal(0.0877848, m.HalfWidth!.Value, 6);
    }

    [Fact]
    public void A_mean_of_utilities_keeps_its_interval_inside_zero_to_one()
    {
        // n = 2: t(0.975, 1) = 12.7 puts the raw interval at [-3.45, 4.04].
        var m = MeanInterval.Of([0.0, 0.59], MeanInterval.Unit);
        Assert.Equal(0.295, m.Mean, 12);
        Assert.Equal((0.0, 1.0), (m.Low!.Value, m.High!.Value));
        // Narrow intervals are untouched.
        Assert.Equal(0.4122152, MeanInterval.Of([0.4, 0.5, 0.6, 0.5, 0.5], MeanInterval.Unit).Low!.Value, 6);
    }

    [Fact]
    public void A_score_above_one_widens_the_range_so_a_reward_hack_still_shows()
    {
        var m = MeanInterval.Of([0.9, 1.5], MeanInterval.Unit);
        Assert.Equal(0.0, m.Low!.Value);
        Assert.Equal(1.5, m.High!.Value);
    }

    [Fact]
    public void Two_values_give_a_wide_interval_that_is_not_clipped()
    {
        // se = √(0.5 / 2) = 0.5; half = 12.706 · 0.5 = 6.353.
        var m = MeanInterval.Of([0.0, 1.0]);
        Assert.Equal(-5.853, m.Low!.Value, 9);
        Assert.Equal(6.853, m.High!.Value, 9);
    }

    [Fact]
    public void One_value_has_a_mean_but_no_interval()
    {
        var m = MeanInterval.Of([0.7]);
        Assert.Equal(0.7, m.Mean);
        Assert.Equal(1, m.N);
        Assert.False(m.HasInterval);
        Assert.Null(m.HalfWidth);
        Assert.Equal("0.700 n=1", m.ToString());
    }

    [Fact]
    public void Identical_values_have_a_zero_width_interval() =>
        Assert.Equal(0, MeanInterval.Of([0.3, 0.3, 0.3]).HalfWidth!.Value, 12);

    [Fact]
    public void No_values_is_an_error()
    {
        Assert.Throws<ArgumentException>(() => MeanInterval.Of(Array.Empty<double>()));
        Assert.Throws<ArgumentOutOfRangeException>(() => StudentT.Quantile975(0));
    }
}
