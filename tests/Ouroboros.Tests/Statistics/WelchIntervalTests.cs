using Ouroboros.Statistics;

namespace Ouroboros.Tests.Statistics;

public class WelchIntervalTests
{
    [Fact]
    public void Unequal_sizes_and_spreads_use_welch_satterthwaite_degrees_of_freedom_rounded_down()
    {
        // a: mean 0.96, s² = 0.012 / 4 = 0.003, s²/n = 0.0006. b: mean 0.825, s² = 0.0275 / 3 = 0.0091667, s²/n = 0.0022917.
        // se = √0.0028917 = 0.0537742; ν = 0.0028917² / (0.0006²/4 + 0.0022917²/3) = 4.543, so t(0.975, 4) = 2.776.
        // half = 2.776 · 0.0537742 = 0.1492772: d = 0.135 [-0.0142772, 0.2842772], which holds 0.
        var w = WelchInterval.Of([0.9, 1.0, 1.0, 0.9, 1.0], [0.8, 0.9, 0.7, 0.9]);
        Assert.Equal(0.135, w.Difference, 12);
        Assert.Equal((5, 4), (w.NA, w.NB));
        Assert.Equal(0.0537742, w.StandardError!.Value, 6);
        Assert.Equal(4.543, w.Df!.Value, 3);
        Assert.Equal(-0.0142772, w.Low!.Value, 6);
        Assert.Equal(0.2842772, w.High!.Value, 6);
        Assert.False(w.Significant);
    }

    [Fact]
    public void A_constant_side_leaves_the_other_sides_degrees_of_freedom()
    {
        // b has no spread: se = √(0.0002 / 5) = 0.0063246, ν = 4, half = 2.776 · se = 0.0175570.
        var w = WelchInterval.Of([0.6, 0.62, 0.58, 0.6, 0.6], [0.52, 0.52, 0.52, 0.52, 0.52]);
        Assert.Equal(0.08, w.Difference, 12);
        Assert.Equal(4, w.Df!.Value, 9);
        Assert.Equal(0.062443, w.Low!.Value, 6);
        Assert.Equal(0.097557, w.High!.Value, 6);
        Assert.True(w.Significant);
    }

    [Fact]
    public void A_difference_below_zero_whose_interval_excludes_zero_is_significant()
    {
        var w = WelchInterval.Of([0.52, 0.52, 0.52, 0.52, 0.52], [0.6, 0.62, 0.58, 0.6, 0.6]);
        Assert.Equal(-0.097557, w.Low!.Value, 6);
        Assert.Equal(-0.062443, w.High!.Value, 6);
        Assert.True(w.Significant);
        Assert.Equal("-0.080 [-0.098, -0.062] n=5 vs 5", w.ToString());
    }

    [Fact]
    public void Two_constant_samples_have_the_difference_as_their_interval()
    {
        var w = WelchInterval.Of([0.5, 0.5], [0.4, 0.4, 0.4]);
        Assert.Equal(0, w.StandardError);
        Assert.Null(w.Df);
        Assert.Equal(0.1, w.Low!.Value, 12);
        Assert.Equal(0.1, w.High!.Value, 12);
        Assert.True(w.Significant);
    }

    [Fact]
    public void One_value_on_a_side_gives_no_interval_and_no_significance()
    {
        var w = WelchInterval.Of([0.7], [0.5, 0.6]);
        Assert.Equal(0.15, w.Difference, 12);
        Assert.False(w.HasInterval);
        Assert.False(w.Significant);
        Assert.Equal("+0.150 n=1 vs 2", w.ToString());
    }

    [Fact]
    public void A_difference_of_utilities_is_clipped_to_minus_one_to_one()
    {
        // ν = 0.25² / (0.25²/1 + 0.25²/1) = 2, t = 4.303, se = 0.7071: raw [-3.04, 3.04].
        var w = WelchInterval.Of([0.0, 1.0], [1.0, 0.0], WelchInterval.UnitDifference);
        Assert.Equal(2, w.Df!.Value, 9);
        Assert.Equal((-1.0, 1.0), (w.Low!.Value, w.High!.Value));
        Assert.Throws<ArgumentException>(() => WelchInterval.Of([], [0.5]));
    }
}
