using System.Globalization;
using Ouroboros.Statistics;

namespace Ouroboros.Reporting;

/// <summary>
/// A STOP run's answer in one line: did the final improver beat the budget-matched baseline on the
/// test split? The reading compared is the per-run mean of the baseline's seed-improver runs: each
/// baseline run is one seed-improver run on a seed solution, as each of the final improver's
/// meta-utility runs is one final-improver run, so the two means compare improvers like for like at
/// the same model budget. The difference carries Welch's 95% interval (<see cref="WelchInterval"/>);
/// it is significant when the interval excludes 0. The best-of-N solution's test utility is another
/// reading — one solution chosen by validation from all the baseline's runs, a maximum rather than a
/// mean, with no interval — so it is stated beside the verdict (<see cref="BestOfNLine"/>), never in it.
/// </summary>
/// <param name="Outcome">One of <see cref="Beat"/>, <see cref="Below"/>, <see cref="NotSignificant"/>, <see cref="Untested"/>, <see cref="Unavailable"/>.</param>
/// <param name="Line">The sentence every report leads with.</param>
public sealed record Verdict(string Outcome, string Line)
{
    /// <summary>Above the baseline, the interval excluding 0.</summary>
    public const string Beat = "beat";

    /// <summary>Below the baseline, the interval excluding 0.</summary>
    public const string Below = "below";

    /// <summary>The interval holds 0.</summary>
    public const string NotSignificant = "not_significant";

    /// <summary>Fewer than two runs on a side: a difference, but no interval and no test.</summary>
    public const string Untested = "untested";

    /// <summary>Nothing to compare: no baseline yet, or no per-run test utilities recorded.</summary>
    public const string Unavailable = "unavailable";

    /// <summary>The baseline reading the verdict uses, as the plot and the JSON name it.</summary>
    public const string Reading = "per-run mean of the baseline's seed-improver runs";

    /// <summary>The test used, named as the line names it.</summary>
    public const string Test = "difference of means, 95% Welch t interval; significant when it excludes 0";

    public int? FinalT { get; init; }
    public MeanInterval? Final { get; init; }

    /// <summary>The baseline at <see cref="Reading"/>: the mean of its runs' test utilities.</summary>
    public MeanInterval? Baseline { get; init; }

    /// <summary>Final − baseline with its interval.</summary>
    public WelchInterval? Difference { get; init; }

    /// <summary>The best-of-N solution's utilities (val chose it), when the baseline recorded them.</summary>
    public (double Val, double Test)? BestOfN { get; init; }

    /// <summary>The best-of-N reading, labelled as such; null when the baseline has no best solution.</summary>
    public string? BestOfNLine { get; init; }

    /// <summary>
    /// The verdict of a final improver at <paramref name="finalT"/> whose meta-utility runs scored
    /// <paramref name="finalTest"/> on test, against a baseline whose runs scored <paramref name="baselineTest"/>.
    /// </summary>
    public static Verdict Of(int finalT, IReadOnlyCollection<double> finalTest, IReadOnlyCollection<double> baselineTest, (double Val, double Test)? bestOfN)
    {
        ArgumentNullException.ThrowIfNull(finalTest);
        ArgumentNullException.ThrowIfNull(baselineTest);
        if (finalTest.Count == 0) return None("the final improver's per-run test utilities were not recorded", bestOfN, baselineTest.Count);
        if (baselineTest.Count == 0) return None("the baseline recorded no per-run test utilities", bestOfN, baselineTest.Count);
        var final = MeanInterval.Of(finalTest, MeanInterval.Unit);
        var baseline = MeanInterval.Of(baselineTest, MeanInterval.Unit);
        var d = WelchInterval.Of(finalTest, baselineTest, WelchInterval.UnitDifference);
        string outcome = !d.HasInterval ? Untested : d.Low > 0 ? Beat : d.High < 0 ? Below : NotSignificant;
        string who = finalT == 0 ? "the final improver (t=0, the seed improver: nothing was adopted)" : $"the final improver (t={finalT})";
        string verb = outcome switch
        {
            Beat => "beat",
            Below => "did not beat the budget-matched baseline on test, it scored below it",
            Untested => "could not be tested against",
            _ => "did not beat",
        };
        string claim = outcome == Below ? $"{who} {verb}" : $"{who} {verb} the budget-matched baseline on test";
        string numbers = $"{N(final.Mean)} vs {N(baseline.Mean)} (mean per baseline run), difference {Signed(d.Difference)}" +
                         (d.HasInterval ? $" [95% Welch t interval {N(d.Low!.Value)}, {N(d.High!.Value)}]" : "") +
                         $", n = {d.NA} vs {d.NB} runs";
        string tail = outcome switch
        {
            Untested => "a Welch interval needs at least 2 runs on each side.",
            NotSignificant => "not significant at 5%.",
            _ => "significant at 5%.",
        };
        return new Verdict(outcome, $"Verdict: {claim}: {numbers}; {tail}")
        {
            FinalT = finalT, Final = final, Baseline = baseline, Difference = d,
            BestOfN = bestOfN, BestOfNLine = BestLine(bestOfN, baselineTest.Count),
        };
    }

    /// <summary>A STOP run that cannot have a verdict yet, saying why.</summary>
    public static Verdict None(string why, (double Val, double Test)? bestOfN = null, int baselineRuns = 0) =>
        new(Unavailable, $"Verdict: none, {why}.") { BestOfN = bestOfN, BestOfNLine = BestLine(bestOfN, baselineRuns) };

    private static string? BestLine((double Val, double Test)? best, int runs) => best is { } b
        ? $"Best-of-N, a different reading (one solution, a maximum, no interval): the solution the baseline chose by validation " +
          $"{(runs > 0 ? $"from its {runs} runs " : "")}scores {N(b.Test)} on test (val {N(b.Val)})."
        : null;

    private static string N(double x) => x.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Signed(double x) => x.ToString("+0.000;-0.000;0.000", CultureInfo.InvariantCulture);
}
