namespace Ouroboros.Statistics;

/// <summary>
/// A rate k/n with its Wilson score 95% interval, the interval STOP's unsandboxing table uses. Unlike
/// the normal approximation it stays inside [0, 1] and is not degenerate at k = 0, which is what a
/// rare behaviour (0.42% of 10,000) needs. With n = 0 the rate is undefined: all three are null.
/// </summary>
public sealed record WilsonInterval(int Count, int N, double? Rate, double? Low, double? High)
{
    /// <summary>The Wilson 95% interval for <paramref name="count"/> successes of <paramref name="n"/>.</summary>
    public static WilsonInterval Of(int count, int n)
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), n, "a sample size cannot be negative");
        if (count < 0 || count > n) throw new ArgumentOutOfRangeException(nameof(count), count, $"a count must lie in 0..{n}");
        if (n == 0) return new WilsonInterval(0, 0, null, null, null);
        const double z = StudentT.Z975;
        double p = (double)count / n, z2 = z * z;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2.0 * n)) / denominator;
        double half = z / denominator * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        // Clamp only the rounding: in exact arithmetic the bounds are 0 at k = 0 and 1 at k = n.
        return new WilsonInterval(count, n, p, Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    public override string ToString() => Rate is null
        ? $"{Count}/{N} (undefined)"
        : FormattableString.Invariant($"{Count}/{N} = {Rate:0.00%} [{Low:0.00%}, {High:0.00%}]");
}
