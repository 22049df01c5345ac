namespace Ouroboros.Statistics;

/// <summary>
/// A mean with its n and a two-sided 95% interval by Student's t (mean ± t(0.975, n − 1)·s/√n). With
/// one observation there is no spread to estimate, so no interval (<see cref="Low"/> and
/// <see cref="High"/> are null). For a quantity with a known range (utilities and meta-utilities lie
/// in [0, 1]) the interval is clipped to that range: with n = 2, t(0.975, 1) = 12.7 gave
/// "0.295 [-3.453, 4.043]", bounds no mean of such scores can have. Clipping loses no coverage, since
/// the true mean lies in the range. The range widens to take in any observation outside it: a
/// meta-utility above 1 is a reward hack the report must show, not hide.
/// </summary>
public sealed record MeanInterval(double Mean, int N, double? Low, double? High)
{
    /// <summary>The mean of <paramref name="values"/> and its 95% interval; at least one value is required.</summary>
    public static MeanInterval Of(IReadOnlyCollection<double> values) => Of(values, null);

    /// <summary>
    /// The mean of <paramref name="values"/> and its 95% interval, clipped to <paramref name="range"/>
    /// (widened to take in every value) when the quantity has one.
    /// </summary>
    public static MeanInterval Of(IReadOnlyCollection<double> values, (double Low, double High)? range)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw new ArgumentException("a mean needs at least one value", nameof(values));
        double mean = values.Average();
        if (values.Count == 1) return new MeanInterval(mean, 1, null, null);
        double variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        double half = StudentT.Quantile975(values.Count - 1) * Math.Sqrt(variance / values.Count);
        double low = mean - half, high = mean + half;
        if (range is var (floor, ceiling))
        {
            low = Math.Max(low, Math.Min(floor, values.Min()));
            high = Math.Min(high, Math.Max(ceiling, values.Max()));
        }
        return new MeanInterval(mean, values.Count, low, high);
    }

    /// <summary>The range of a utility or meta-utility.</summary>
    public static readonly (double Low, double High) Unit = (0, 1);

    /// <summary>Whether there is an interval (n ≥ 2).</summary>
    public bool HasInterval => Low is not null && High is not null;

    /// <summary>Half the interval's width, for "mean ± x"; null without an interval.</summary>
    public double? HalfWidth => HasInterval ? (High - Low) / 2 : null;

    public override string ToString() => HasInterval
        ? FormattableString.Invariant($"{Mean:0.000} [{Low:0.000}, {High:0.000}] n={N}")
        : FormattableString.Invariant($"{Mean:0.000} n={N}");
}
