namespace Ouroboros.Statistics;

/// <summary>
/// A statistic of a few measurements (e.g. the median over seeds) with its percentile bootstrap
/// interval: the samples resampled with replacement <c>resamples</c> times (seeded, so a report reads
/// the same every time), the statistic of each, and the 2.5th and 97.5th percentiles of those. With
/// fewer than two samples there is no interval. A paired difference is the interval of the differences.
/// </summary>
public sealed record BootstrapInterval(double Estimate, double? Low, double? High, int N)
{
    public const int DefaultResamples = 2000;

    public bool HasInterval => Low is not null;

    /// <summary>The median of <paramref name="samples"/> with its percentile bootstrap interval.</summary>
    public static BootstrapInterval Median(IReadOnlyList<double> samples, int resamples = DefaultResamples, int seed = 1, double level = 0.95) =>
        Of(samples, MedianOf, resamples, seed, level);

    /// <summary>
    /// The median of the paired differences a[i] − b[i] (the same seed in two arms), with the bootstrap
    /// interval of resampled pairs: what is shared by a pair cancels, as it should.
    /// </summary>
    public static BootstrapInterval PairedMedianDifference(IReadOnlyList<double> a, IReadOnlyList<double> b, int resamples = DefaultResamples, int seed = 1, double level = 0.95)
    {
        if (a.Count != b.Count) throw new ArgumentException($"{a.Count} and {b.Count} samples do not pair");
        return Median(a.Select((x, i) => x - b[i]).ToList(), resamples, seed, level);
    }

    public static BootstrapInterval Of(IReadOnlyList<double> samples, Func<IReadOnlyList<double>, double> statistic, int resamples = DefaultResamples, int seed = 1, double level = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        if (level is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(level));
        if (samples.Count == 0) throw new ArgumentException("no samples");
        double estimate = statistic(samples);
        if (samples.Count < 2) return new(estimate, null, null, samples.Count);
        var random = new Random(seed);
        var draw = new double[samples.Count];
        var stats = new double[resamples];
        for (int b = 0; b < resamples; b++)
        {
            for (int i = 0; i < draw.Length; i++) draw[i] = samples[random.Next(samples.Count)];
            stats[b] = statistic(draw);
        }
        Array.Sort(stats);
        double tail = (1 - level) / 2;
        // Nearest rank at each end: the interval is the middle `level` of the resampled statistics.
        int lo = Math.Clamp((int)Math.Floor(tail * resamples), 0, resamples - 1);
        int hi = Math.Clamp((int)Math.Ceiling((1 - tail) * resamples) - 1, 0, resamples - 1);
        return new(estimate, stats[lo], stats[hi], samples.Count);
    }

    /// <summary>The median, the mean of the middle two for an even count.</summary>
    public static double MedianOf(IReadOnlyList<double> samples)
    {
        var sorted = samples.Order().ToArray();
        int m = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }
}
