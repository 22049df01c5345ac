using Ouroboros.Reporting;

namespace Ouroboros.Tests.Reporting;

/// <summary>The verdict's wording and numbers for each outcome, against hand-computed Welch intervals (see WelchIntervalTests).</summary>
public sealed class VerdictTests
{
    [Fact]
    public void An_interval_that_holds_zero_did_not_beat_the_baseline_and_says_not_significant()
    {
        var v = Verdict.Of(2, [0.9, 1.0, 1.0, 0.9, 1.0], [0.8, 0.9, 0.7, 0.9], (0.95, 1.0));
        Assert.Equal(Verdict.NotSignificant, v.Outcome);
        Assert.Equal("Verdict: the final improver (t=2) did not beat the budget-matched baseline on test: 0.960 vs 0.825 (mean per baseline run), " +
                     "difference +0.135 [95% Welch t interval -0.014, 0.284], n = 5 vs 4 runs; not significant at 5%.", v.Line);
        Assert.Equal(0.96, v.Final!.Mean, 12);
        Assert.Equal(0.825, v.Baseline!.Mean, 12);
        Assert.Equal(-0.0142772, v.Difference!.Low!.Value, 6);
    }

    [Fact]
    public void An_interval_below_zero_did_not_beat_the_baseline_and_scored_below_it()
    {
        var v = Verdict.Of(3, [0.52, 0.52, 0.52, 0.52, 0.52], [0.6, 0.62, 0.58, 0.6, 0.6], null);
        Assert.Equal(Verdict.Below, v.Outcome);
        Assert.Equal("Verdict: the final improver (t=3) did not beat the budget-matched baseline on test, it scored below it: 0.520 vs 0.600 " +
                     "(mean per baseline run), difference -0.080 [95% Welch t interval -0.098, -0.062], n = 5 vs 5 runs; significant at 5%.", v.Line);
        Assert.Null(v.BestOfNLine);
    }

    [Fact]
    public void An_interval_above_zero_beat_the_baseline()
    {
        var v = Verdict.Of(1, [0.6, 0.62, 0.58, 0.6, 0.6], [0.52, 0.52, 0.52, 0.52, 0.52], (0.53, 0.52));
        Assert.Equal(Verdict.Beat, v.Outcome);
        Assert.StartsWith("Verdict: the final improver (t=1) beat the budget-matched baseline on test: 0.600 vs 0.520", v.Line);
        Assert.EndsWith("[95% Welch t interval 0.062, 0.098], n = 5 vs 5 runs; significant at 5%.", v.Line);
    }

    [Fact]
    public void The_best_of_n_solution_is_stated_apart_and_labelled_as_another_reading()
    {
        var v = Verdict.Of(1, [0.96, 0.97], [0.7, 0.8, 0.9], (0.933, 1.0));
        Assert.DoesNotContain("1.000", v.Line);
        Assert.Equal("Best-of-N, a different reading (one solution, a maximum, no interval): the solution the baseline chose by validation " +
                     "from its 3 runs scores 1.000 on test (val 0.933).", v.BestOfNLine);
    }

    [Fact]
    public void One_run_on_a_side_gives_a_difference_but_no_test()
    {
        var v = Verdict.Of(1, [0.7], [0.5, 0.6], null);
        Assert.Equal(Verdict.Untested, v.Outcome);
        Assert.Equal("Verdict: the final improver (t=1) could not be tested against the budget-matched baseline on test: 0.700 vs 0.550 " +
                     "(mean per baseline run), difference +0.150, n = 1 vs 2 runs; a Welch interval needs at least 2 runs on each side.", v.Line);
    }

    [Fact]
    public void A_run_that_adopted_nothing_says_its_final_improver_is_the_seed_improver()
    {
        var v = Verdict.Of(0, [0.5, 0.6], [0.5, 0.6], null);
        Assert.StartsWith("Verdict: the final improver (t=0, the seed improver: nothing was adopted) did not beat", v.Line);
    }

    [Fact]
    public void Without_per_run_test_utilities_there_is_no_verdict_but_the_best_of_n_reading_remains()
    {
        var v = Verdict.Of(1, [0.6, 0.7], [], (0.8, 0.9));
        Assert.Equal(Verdict.Unavailable, v.Outcome);
        Assert.Equal("Verdict: none, the baseline recorded no per-run test utilities.", v.Line);
        Assert.NotNull(v.BestOfNLine);
    }
}
