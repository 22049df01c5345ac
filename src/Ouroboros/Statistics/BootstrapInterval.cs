namespace Ouroboros.Statistics;

/// <summary>
/// A percentile bootstrap interval (95%) of a median or a mean: resample the values with
/// replacement, take the statistic of each resample, read the 2.5th and 97.5th percentiles. Used
/// where the statistic has no closed-form interval (a median of PGRs over pairs and seeds). Seeded,
/// so a report shows the same interval every time it is built.
/// </summary>
public sealed record BootstrapInterval(double Estimate, int N, double Low, double High)
{
    /// <summary>The median of <paramref name="values"/> with its 95% percentile-bootstrap interval.</summary>
    public static BootstrapInterval Median(IReadOnlyList<double> values, int resamples = 2000, int seed = 1) => Of(values, MedianOf, resamples, seed);

    /// <summary>The mean of <paramref name="values"/> with its 95% percentile-bootstrap interval.</summary>
    public static BootstrapInterval Mean(IReadOnlyList<double> values, int resamples = 2000, int seed = 1) => Of(values, v => v.Average(), resamples, seed);

    private static BootstrapInterval Of(IReadOnlyList<double> values, Func<double[], double> statistic, int resamples, int seed)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw new ArgumentException("a bootstrap needs at least one value", nameof(values));
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        var random = new Random(seed);
        var sample = new double[values.Count];
        var statistics = new double[resamples];
        for (var r = 0; r < resamples; r++)
        {
            for (var i = 0; i < sample.Length; i++) sample[i] = values[random.Next(values.Count)];
            statistics[r] = statistic(sample);
        }
        Array.Sort(statistics);
        return new BootstrapInterval(statistic(values.ToArray()), values.Count, Quantile(statistics, 0.025), Quantile(statistics, 0.975));
    }

    /// <summary>The median; with an even count, the mean of the two middle values.</summary>
    public static double MedianOf(IReadOnlyCollection<double> values)
    {
        var sorted = values.Order().ToArray();
        int m = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    /// <summary>Linear interpolation between order statistics of a sorted array.</summary>
    private static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
