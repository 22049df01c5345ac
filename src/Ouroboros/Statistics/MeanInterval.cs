namespace Ouroboros.Statistics;

/// <summary>
/// A mean with its n and a two-sided 95% interval by Student's t (mean ± t(0.975, n − 1)·s/√n). With
/// one observation there is no spread to estimate, so no interval (<see cref="Low"/> and
/// <see cref="High"/> are null). Unlike a task's instance scores, means here are not clipped to [0, 1]:
/// a meta-utility above 1 is a reward hack the report must show, not hide.
/// </summary>
public sealed record MeanInterval(double Mean, int N, double? Low, double? High)
{
    /// <summary>The mean of <paramref name="values"/> and its 95% interval; at least one value is required.</summary>
    public static MeanInterval Of(IReadOnlyCollection<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw new ArgumentException("a mean needs at least one value", nameof(values));
        double mean = values.Average();
        if (values.Count == 1) return new MeanInterval(mean, 1, null, null);
        double variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        double half = StudentT.Quantile975(values.Count - 1) * Math.Sqrt(variance / values.Count);
        return new MeanInterval(mean, values.Count, mean - half, mean + half);
    }

    /// <summary>Whether there is an interval (n ≥ 2).</summary>
    public bool HasInterval => Low is not null && High is not null;

    /// <summary>Half the interval's width, for "mean ± x"; null without an interval.</summary>
    public double? HalfWidth => HasInterval ? (High - Low) / 2 : null;

    public override string ToString() => HasInterval
        ? FormattableString.Invariant($"{Mean:0.000} [{Low:0.000}, {High:0.000}] n={N}")
        : FormattableString.Invariant($"{Mean:0.000} n={N}");
}
