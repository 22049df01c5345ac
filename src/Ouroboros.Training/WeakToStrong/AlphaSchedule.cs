namespace Ouroboros.Training.WeakToStrong;

/// <summary>
/// The weight α of the confidence loss's hardened target over training (frac = step / steps), in the
/// two documented forms, which differ (digest §3.2).
/// </summary>
public static class AlphaSchedule
{
    /// <summary>The paper's warm-up: α rises linearly from 0 to α_max over the first 20% of training, then stays there.</summary>
    public const double PaperWarmup = 0.2;

    /// <summary>The paper's α_max: 0.75 for the largest students, 0.5 otherwise (§4.3.2, App. A.4).</summary>
    public static double PaperMaximum(bool largestStudent) => largestStudent ? 0.75 : 0.5;

    public static double Paper(double frac, double alphaMax) => alphaMax * Math.Min(1.0, frac / PaperWarmup);

    /// <summary>
    /// The released code's <c>logconf_loss_fn</c>: <c>coef = (1 if frac &gt; 0.1 else frac) · 0.5</c>. So
    /// 0.5·frac for the first 10% of steps, then a jump from 0.05 to 0.5 — discontinuous, kept as written.
    /// </summary>
    public static double Repository(double frac) => (frac > RepositoryWarmup ? 1.0 : frac) * RepositoryCoefficient;

    public const double RepositoryWarmup = 0.1, RepositoryCoefficient = 0.5;
}
