using Ouroboros.Statistics;

namespace Ouroboros.Tests.Statistics;

public class BootstrapIntervalTests
{
    [Fact]
    public void The_median_is_the_middle_value_and_the_interval_holds_it()
    {
        var i = BootstrapInterval.Median([0.1, 0.9, 0.5, 0.4, 0.6], resamples: 4000, seed: 3);
        Assert.Equal(0.5, i.Estimate);
        Assert.Equal(5, i.N);
        Assert.True(i.Low <= 0.5 && 0.5 <= i.High, $"[{i.Low}, {i.High}]");
        // A resample's median is one of the values or the mean of two of them: the interval stays inside their range.
        Assert.True(i.Low >= 0.1 && i.High <= 0.9);
    }

    [Fact]
    public void Identical_values_give_a_point_interval_and_the_same_seed_the_same_interval()
    {
        Assert.Equal(new BootstrapInterval(2, 3, 2, 2), BootstrapInterval.Median([2, 2, 2]));
        double[] values = [1, 4, 2, 8, 5, 7, 3];
        Assert.Equal(BootstrapInterval.Mean(values, 500, 9), BootstrapInterval.Mean(values, 500, 9));
        Assert.Equal(30.0 / 7, BootstrapInterval.Mean(values).Estimate, 12);
    }

    [Fact]
    public void The_interval_narrows_as_the_sample_grows()
    {
        var random = new Random(5);
        double Width(int n)
        {
            var values = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
            var i = BootstrapInterval.Median(values);
            return i.High - i.Low;
        }
        Assert.True(Width(400) < Width(10) / 2);
    }
}
