namespace Ouroboros.Tasks;

/// <summary>
/// A mean over instances with its n and a 95% confidence interval (Student's t on the instance
/// scores, clipped to [0, 1] because every score is). Reported with every utility so a difference
/// between two solutions can be read against the noise of the instance sample.
/// </summary>
public sealed record ScoreSummary(double Mean, int N, double Low, double High)
{
    public static ScoreSummary Of(IReadOnlyList<double> scores)
    {
        if (scores.Count == 0) return new ScoreSummary(0, 0, 0, 0);
        double mean = scores.Average();
        if (scores.Count == 1) return new ScoreSummary(mean, 1, 0, 1);
        double variance = scores.Sum(s => (s - mean) * (s - mean)) / (scores.Count - 1);
        double half = StudentT975(scores.Count - 1) * Math.Sqrt(variance / scores.Count);
        return new ScoreSummary(mean, scores.Count, Math.Max(0, mean - half), Math.Min(1, mean + half));
    }

    /// <summary>Half the interval's width, for "mean ± x".</summary>
    public double HalfWidth => (High - Low) / 2;

    public override string ToString() => $"{Mean:0.000} (95% CI {Low:0.000}–{High:0.000}, n = {N})";

    /// <summary>The 97.5% quantile of Student's t; see <see cref="Statistics.StudentT"/>.</summary>
    internal static double StudentT975(int df) => Statistics.StudentT.Quantile975(df);
}
