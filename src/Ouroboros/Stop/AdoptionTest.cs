namespace Ouroboros.Stop;

/// <summary>
/// When a new improver replaces the current one. STOP adopted any candidate whose meta-utility was
/// not 0 (its issue #7), so a worse improver could become the parent. Here the candidate must beat
/// the current improver on validation, on the same instances, by more than the standard error of the
/// difference of the two means (Welch; one-sided, z ≥ 1); when both are exact (no spread) any gain counts.
/// </summary>
public static class AdoptionTest
{
    public const string Statement =
        "a candidate is adopted only if its mean validation meta-utility exceeds the current improver's by more than one standard error of the difference (Welch, one-sided z >= 1), on the same validation instances";

    public sealed record Decision(bool Adopt, string Reason);

    public static Decision Decide(MetaUtilityScore candidate, MetaUtilityScore current)
    {
        var difference = candidate.Val - current.Val;
        var se = Math.Sqrt(VarianceOfMean(candidate.ValRuns) + VarianceOfMean(current.ValRuns));
        var bar = Math.Max(se, 1e-9);
        var text = $"val {candidate.Val:0.000} vs {current.Val:0.000}: difference {difference:+0.000;-0.000}, standard error {se:0.000}";
        return difference > bar
            ? new Decision(true, $"adopted: {text}")
            : new Decision(false, $"kept the current improver: {text}; not above one standard error");
    }

    private static double VarianceOfMean(IReadOnlyList<double> xs)
    {
        if (xs.Count < 2) return 0;
        var mean = xs.Average();
        return xs.Sum(x => (x - mean) * (x - mean)) / (xs.Count - 1) / xs.Count;
    }
}
