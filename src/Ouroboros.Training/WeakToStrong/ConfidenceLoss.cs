using static TorchSharp.torch;

namespace Ouroboros.Training.WeakToStrong;

/// <summary>
/// The auxiliary confidence loss, <c>(1 − α)·CE(f, f_w) + α·CE(f, f̂_t)</c>, where f̂_t hardens the
/// student's own predictions with a threshold t chosen per batch so that a given fraction of the batch
/// is positive: half in the paper, the weak labels' mean in the official repository. Cross-entropy is
/// linear in its target, so this is computed, as the repository does, as one cross-entropy against the
/// mixed target <c>(1 − α)·f_w + α·f̂_t</c>; the hardened target is detached (no gradient flows through t).
/// </summary>
public static class ConfidenceLoss
{
    public static Tensor Loss(Tensor logits, Tensor weakPositive, double alpha, double positiveFraction)
    {
        using var scope = NewDisposeScope();
        var hardened = Hardened(logits.detach(), positiveFraction);
        // (1 − α)·w + α·h, written w − α·(w − h) with α as a tensor (no temporary Scalars: see SoftCrossEntropy).
        var mixed = weakPositive.sub(weakPositive.sub(hardened).mul(tensor((float)alpha)));
        return SoftCrossEntropy.Loss(logits, mixed).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The student's predictions hardened: the round(fraction · batch) examples it finds most positive
    /// are 1, the rest 0. The repository thresholds at a quantile of its class-0 probabilities, which
    /// gives the same count to within one example (interpolated quantiles); counting exactly keeps the
    /// configured balance exact.
    /// </summary>
    public static Tensor Hardened(Tensor logits, double positiveFraction)
    {
        float[] margin;
        using (var scope = NewDisposeScope()) margin = logits[.., 1].sub(logits[.., 0]).data<float>().ToArray();
        var positives = (int)Math.Round(positiveFraction * margin.Length, MidpointRounding.AwayFromZero);
        // Ranked in C#: a batch is a few dozen numbers, and ties break by position, deterministically.
        var hard = new float[margin.Length];
        foreach (var i in Enumerable.Range(0, margin.Length).OrderByDescending(i => margin[i]).ThenBy(i => i).Take(positives)) hard[i] = 1;
        return tensor(hard);
    }
}
