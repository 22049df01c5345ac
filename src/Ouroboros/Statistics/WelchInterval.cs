namespace Ouroboros.Statistics;

/// <summary>
/// The difference of two means, a − b, with Welch's 95% interval: the two samples may differ in size
/// and spread, as a final improver's five runs and a baseline's hundred do. The interval is
/// d ± t(0.975, ν)·se, with se = √(s²a/na + s²b/nb) and the Welch–Satterthwaite degrees of freedom
/// ν = se⁴ / ((s²a/na)²/(na − 1) + (s²b/nb)²/(nb − 1)). ν is rarely whole; t is taken at ⌊ν⌋, which
/// widens the interval a little rather than narrowing it. Each side needs two values for a variance,
/// so with fewer there is no interval. When both samples are constant se is 0 and the interval is the
/// difference itself (ν is then undefined and null). The difference is significant at 5% when the
/// interval excludes 0.
/// </summary>
public sealed record WelchInterval(double Difference, int NA, int NB, double? StandardError, double? Df, double? Low, double? High)
{
    /// <summary>Welch's interval for mean(<paramref name="a"/>) − mean(<paramref name="b"/>); each side needs at least one value.</summary>
    public static WelchInterval Of(IReadOnlyCollection<double> a, IReadOnlyCollection<double> b) => Of(a, b, null);

    /// <summary>
    /// As <see cref="Of(IReadOnlyCollection{double}, IReadOnlyCollection{double})"/>, the interval clipped to
    /// <paramref name="range"/> (widened to take in the difference itself) when the difference has one.
    /// </summary>
    public static WelchInterval Of(IReadOnlyCollection<double> a, IReadOnlyCollection<double> b, (double Low, double High)? range)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count == 0 || b.Count == 0) throw new ArgumentException("a difference of means needs at least one value on each side");
        double meanA = a.Average(), meanB = b.Average(), d = meanA - meanB;
        if (a.Count < 2 || b.Count < 2) return new WelchInterval(d, a.Count, b.Count, null, null, null, null);
        double va = Variance(a, meanA) / a.Count, vb = Variance(b, meanB) / b.Count;
        double se = Math.Sqrt(va + vb);
        if (se == 0) return new WelchInterval(d, a.Count, b.Count, 0, null, d, d);
        double df = (va + vb) * (va + vb) / (va * va / (a.Count - 1) + vb * vb / (b.Count - 1));
        double half = StudentT.Quantile975(Math.Max(1, (int)Math.Floor(df))) * se;
        double low = d - half, high = d + half;
        if (range is var (floor, ceiling))
        {
            low = Math.Max(low, Math.Min(floor, d));
            high = Math.Min(high, Math.Max(ceiling, d));
        }
        return new WelchInterval(d, a.Count, b.Count, se, df, low, high);
    }

    /// <summary>The range of a difference of two utilities or meta-utilities.</summary>
    public static readonly (double Low, double High) UnitDifference = (-1, 1);

    /// <summary>Whether there is an interval (two or more values on each side).</summary>
    public bool HasInterval => Low is not null && High is not null;

    /// <summary>Whether the interval excludes 0: a difference significant at 5% (two-sided). False without an interval.</summary>
    public bool Significant => Low > 0 || High < 0;

    // Equal values have no spread; their computed mean can be a rounding off them (0.4 three times averages to 0.4000000000000001).
    private static double Variance(IReadOnlyCollection<double> values, double mean) =>
        values.All(v => v == values.First()) ? 0 : values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);

    public override string ToString() => HasInterval
        ? FormattableString.Invariant($"{Difference:+0.000;-0.000;0.000} [{Low:0.000}, {High:0.000}] n={NA} vs {NB}")
        : FormattableString.Invariant($"{Difference:+0.000;-0.000;0.000} n={NA} vs {NB}");
}
