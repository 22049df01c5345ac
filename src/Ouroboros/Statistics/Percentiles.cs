namespace Ouroboros.Statistics;

/// <summary>Order statistics of measured samples (nearest rank), for benchmarks.</summary>
public static class Percentiles
{
    public static double Median(IReadOnlyCollection<double> samples) => Of(samples, 0.5);

    public static double Of(IReadOnlyCollection<double> samples, double quantile)
    {
        if (samples.Count == 0) throw new ArgumentException("no samples");
        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(quantile * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
