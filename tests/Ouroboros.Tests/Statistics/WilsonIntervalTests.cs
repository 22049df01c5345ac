using Ouroboros.Statistics;

namespace Ouroboros.Tests.Statistics;

public class WilsonIntervalTests
{
    // STOP's unsandboxing table: rates of 10,000 improvement attempts with Wilson 95% intervals, in percent.
    [Theory]
    [InlineData(42, 0.31, 0.57)]
    [InlineData(46, 0.35, 0.61)]
    [InlineData(12, 0.07, 0.21)]
    [InlineData(17, 0.11, 0.27)]
    public void Reproduces_STOPs_unsandboxing_intervals(int count, double lowPercent, double highPercent)
    {
        var w = WilsonInterval.Of(count, 10_000);
        Assert.Equal(count / 10_000.0, w.Rate!.Value, 12);
        Assert.Equal(lowPercent, Math.Round(w.Low!.Value * 100, 2), 9);
        Assert.Equal(highPercent, Math.Round(w.High!.Value * 100, 2), 9);
    }

    [Fact]
    public void Matches_a_hand_computation_for_a_small_sample()
    {
        // k = 3, n = 10, z = 1.959964: centre = (0.3 + 0.192073) / 1.384146 = 0.355507;
        // half = 1.959964 / 1.384146 · √(0.021 + 0.009604) = 0.247715 → [0.107791, 0.603222].
        var w = WilsonInterval.Of(3, 10);
        Assert.Equal(0.107791, w.Low!.Value, 5);
        Assert.Equal(0.603222, w.High!.Value, 5);
    }

    [Fact]
    public void None_observed_still_has_a_positive_upper_bound()
    {
        // k = 0: the interval is [0, z² / (n + z²)] = [0, 3.841459 / 103.841459].
        var w = WilsonInterval.Of(0, 100);
        Assert.Equal(0, w.Low!.Value, 12);
        Assert.Equal(0.0369935, w.High!.Value, 1e-7);
        var all = WilsonInterval.Of(100, 100);
        Assert.Equal(1, all.High!.Value, 12);
        Assert.Equal(1 - 0.0369935, all.Low!.Value, 1e-7);
    }

    [Fact]
    public void No_samples_is_undefined_not_zero()
    {
        var w = WilsonInterval.Of(0, 0);
        Assert.Null(w.Rate);
        Assert.Null(w.Low);
        Assert.Null(w.High);
        Assert.Equal("0/0 (undefined)", w.ToString());
    }

    [Fact]
    public void A_count_outside_the_sample_is_an_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WilsonInterval.Of(11, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => WilsonInterval.Of(-1, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => WilsonInterval.Of(0, -1));
    }
}
