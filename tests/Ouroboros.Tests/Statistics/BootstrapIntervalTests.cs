using Ouroboros.Statistics;

namespace Ouroboros.Tests.Statistics;

public class BootstrapIntervalTests
{
    [Fact]
    public void The_median_of_an_even_count_is_the_mean_of_the_middle_two() =>
        Assert.Equal(2.5, BootstrapInterval.MedianOf([4, 1, 2, 3]));

    [Fact]
    public void Equal_samples_have_a_zero_width_interval_and_one_sample_none()
    {
        Assert.Equal(new BootstrapInterval(3, 3, 3, 5), BootstrapInterval.Median([3, 3, 3, 3, 3]));
        Assert.Equal(new BootstrapInterval(7, null, null, 1), BootstrapInterval.Median([7]));
    }

    [Fact]
    public void The_interval_is_seeded_lies_within_the_samples_and_covers_the_median()
    {
        double[] samples = [0.31, 0.42, 0.38, 0.55, 0.47, 0.29, 0.51];
        var a = BootstrapInterval.Median(samples, seed: 3);
        Assert.Equal(a, BootstrapInterval.Median(samples, seed: 3));
        Assert.Equal(0.42, a.Estimate);
        Assert.InRange(a.Low!.Value, samples.Min(), a.Estimate);
        Assert.InRange(a.High!.Value, a.Estimate, samples.Max());
        Assert.True(a.High > a.Low);
    }

    [Fact]
    public void A_paired_difference_cancels_what_the_pair_shares()
    {
        // Seeds differ a lot, the arms by exactly 0.1 on every seed: unpaired intervals would overlap,
        // the paired one is the difference itself.
        double[] sft = [0.1, 0.5, 0.9, 0.3, 0.7];
        var m2 = sft.Select(x => x + 0.1).ToArray();
        var d = BootstrapInterval.PairedMedianDifference(m2, sft);
        Assert.Equal(0.1, d.Estimate, 9);
        Assert.Equal(0.1, d.Low!.Value, 9);
        Assert.Equal(0.1, d.High!.Value, 9);
        Assert.Throws<ArgumentException>(() => BootstrapInterval.PairedMedianDifference([1, 2], [1]));
    }
}
