using Ouroboros.Statistics;

namespace Ouroboros.Training.WeakToStrong;

/// <summary>PGRs of a group of pairs and seeds: their median with a bootstrap interval, how many counted, how many were excluded.</summary>
public sealed record PgrSummary(double? Median, double? Low, double? High, int N, int Excluded);

/// <summary>
/// The performance gap recovered: (student − weak) / (ceiling − weak), on test accuracy. A pair whose
/// ceiling does not beat its weak supervisor has no gap to recover and is excluded (the official
/// plotting code's rule), and counted so the report can say how many were dropped; groups are summarised
/// by the median, as in the paper.
/// </summary>
public static class Pgr
{
    /// <summary>The PGR of one pair, or null when the ceiling is not above the weak model (excluded).</summary>
    public static double? Of(double weak, double student, double ceiling) => ceiling > weak ? (student - weak) / (ceiling - weak) : null;

    /// <summary>The median PGR of <paramref name="pairs"/> (weak, student, ceiling) with a 95% percentile-bootstrap interval, and the excluded count.</summary>
    public static PgrSummary Summarise(IEnumerable<(double Weak, double Student, double Ceiling)> pairs)
    {
        var all = pairs.ToList();
        var values = all.Select(p => Of(p.Weak, p.Student, p.Ceiling)).OfType<double>().ToList();
        if (values.Count == 0) return new PgrSummary(null, null, null, 0, all.Count);
        var interval = BootstrapInterval.Median(values);
        return new PgrSummary(interval.Estimate, interval.Low, interval.High, values.Count, all.Count - values.Count);
    }
}
