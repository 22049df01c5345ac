using Ouroboros.Training.WeakToStrong;

namespace Ouroboros.Training.Tests.WeakToStrong;

public class PgrTests
{
    [Fact]
    public void Pgr_is_the_fraction_of_the_gap_recovered()
    {
        Assert.Equal(0.5, Pgr.Of(0.60, 0.70, 0.80)!.Value, 12);
        Assert.Equal(0, Pgr.Of(0.60, 0.60, 0.80)!.Value, 12);
        Assert.Equal(1, Pgr.Of(0.60, 0.80, 0.80)!.Value, 12);
        Assert.Equal(-0.5, Pgr.Of(0.60, 0.50, 0.80)!.Value, 12);
    }

    [Fact]
    public void Pairs_whose_ceiling_does_not_beat_the_weak_model_are_excluded_and_counted()
    {
        Assert.Null(Pgr.Of(0.7, 0.9, 0.7));
        Assert.Null(Pgr.Of(0.7, 0.9, 0.65));
        var summary = Pgr.Summarise([(0.6, 0.7, 0.8), (0.6, 0.65, 0.8), (0.6, 0.9, 0.8), (0.7, 0.8, 0.7), (0.7, 0.8, 0.6)]);
        Assert.Equal(3, summary.N);
        Assert.Equal(2, summary.Excluded);
        // The median of 0.5, 0.25 and 1.5.
        Assert.Equal(0.5, summary.Median!.Value, 12);
        Assert.True(summary.Low <= 0.5 && summary.High >= 0.5);
        var none = Pgr.Summarise([(0.7, 0.8, 0.7)]);
        Assert.Equal((null, 0, 1), (none.Median, none.N, none.Excluded));
    }

    [Fact]
    public void Groups_compare_each_seed_s_student_with_that_seed_s_supervisor_and_ceiling()
    {
        W2sRow Row(int seed, string role, int size, double accuracy, string method = "", string view = "inexpressible") =>
            new("r", "latent", view, seed, role, method, 20, 1, size, accuracy, null);
        var rows = new List<W2sRow>
        {
            Row(0, W2sRow.Weak, 1, 0.6), Row(0, W2sRow.Ceiling, 2, 0.8), Row(0, W2sRow.Student, 2, 0.7, "xent"),
            Row(1, W2sRow.Weak, 1, 0.5), Row(1, W2sRow.Ceiling, 2, 0.9), Row(1, W2sRow.Student, 2, 0.8, "xent"),
            Row(2, W2sRow.Weak, 1, 0.8), Row(2, W2sRow.Ceiling, 2, 0.8), Row(2, W2sRow.Student, 2, 0.9, "xent"),
        };
        var group = Assert.Single(PgrGroups.From(rows));
        Assert.Equal((PgrGroups.Direct, 1, 2, 2, 1), (group.Route, group.WeakSize, group.StudentSize, group.Pgr.N, group.Pgr.Excluded));
        Assert.Equal((0.5 + 0.75) / 2, group.Pgr.Median!.Value, 12);
    }
}
