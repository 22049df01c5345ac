namespace Ouroboros.Training.WeakToStrong;

/// <summary>
/// How a student learns from soft labels: <c>xent</c> (cross-entropy on them), or the confidence loss
/// with the paper's schedule and balance (<c>logconf-paper</c>: α to α_max over 20%, half the batch
/// hardened positive) or the released code's (<c>logconf-repo</c>: α = 0.5 after a 10% ramp, hardened
/// to the weak labels' class balance).
/// </summary>
public sealed record TransferMethod(string Name)
{
    public const string Xent = "xent", LogconfPaper = "logconf-paper", LogconfRepo = "logconf-repo";

    public static readonly IReadOnlyList<string> Names = [Xent, LogconfPaper, LogconfRepo];

    /// <summary>The confidence loss's α at <paramref name="frac"/> of training (0 for <c>xent</c>).</summary>
    public double Alpha(double frac, bool largestStudent) => Name switch
    {
        Xent => 0,
        LogconfPaper => AlphaSchedule.Paper(frac, AlphaSchedule.PaperMaximum(largestStudent)),
        LogconfRepo => AlphaSchedule.Repository(frac),
        _ => throw new ArgumentException($"no method '{Name}'"),
    };

    /// <summary>The fraction of a batch hardened to the positive class: 0.5 (the paper; its datasets are balanced) or the batch's mean weak label (the repository).</summary>
    public double PositiveFraction(double batchWeakMean) => Name == LogconfRepo ? batchWeakMean : 0.5;
}
