namespace Ouroboros.Statistics;

/// <summary>
/// The exact (Clopper–Pearson) 95% interval of a rate: count of n, with the interval's ends where
/// the binomial tails hold 2.5% each. Conservative, and right for rare events: 0 of n gives [0, high]
/// with high ≈ 3.7/n, which the report states as the zero count's upper bound.
/// </summary>
public sealed record ClopperPearsonInterval(int Count, int N, double? Rate, double? Low, double? High)
{
    public static ClopperPearsonInterval Of(int count, int n, double alpha = 0.05)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, n);
        if (n == 0) return new(0, 0, null, null, null);
        // Low: the p at which P(X >= count) = alpha/2; high: the p at which P(X <= count) = alpha/2.
        double low = count == 0 ? 0 : Solve(p => 1 - Cdf(count - 1, n, p) - alpha / 2);
        double high = count == n ? 1 : Solve(p => alpha / 2 - Cdf(count, n, p));
        return new(count, n, (double)count / n, low, high);
    }

    /// <summary>P(X ≤ k) for X ~ Binomial(n, p), summed in log space so large n neither overflows nor underflows.</summary>
    public static double Cdf(int k, int n, double p)
    {
        if (k < 0) return 0;
        if (k >= n) return 1;
        if (p <= 0) return 1;
        if (p >= 1) return 0;
        double logP = Math.Log(p), logQ = Math.Log(1 - p), sum = 0, logCoeff = 0;
        for (int i = 0; i <= k; i++)
        {
            if (i > 0) logCoeff += Math.Log(n - i + 1) - Math.Log(i);
            sum += Math.Exp(logCoeff + i * logP + (n - i) * logQ);
        }
        return Math.Min(1, sum);
    }

    /// <summary>The root of an increasing function of p on (0, 1), by bisection to 1e-12.</summary>
    private static double Solve(Func<double, double> f)
    {
        double lo = 0, hi = 1;
        for (int i = 0; i < 200 && hi - lo > 1e-12; i++)
        {
            double mid = (lo + hi) / 2;
            if (f(mid) < 0) lo = mid; else hi = mid;
        }
        return (lo + hi) / 2;
    }

    public override string ToString() => Rate is null ? $"{Count}/{N}" : $"{Count}/{N} = {Rate:P2} [{Low:P2}, {High:P2}]";
}
