using static TorchSharp.torch;

namespace Ouroboros.Training;

/// <summary>
/// The Bradley–Terry preference model: P(y_w ≻ y_l) = σ(r(y_w) − r(y_l)), fitted by the pairwise
/// logistic loss <c>−log σ(r_w − r_l)</c> and judged by held-out pairwise accuracy.
/// </summary>
public static class BradleyTerry
{
    public static Tensor Loss(Tensor rewardChosen, Tensor rewardRejected)
    {
        using var scope = NewDisposeScope();
        return (-nn.functional.logsigmoid(rewardChosen - rewardRejected).mean()).MoveToOuterDisposeScope();
    }

    /// <summary>The share of pairs whose chosen reward is above the rejected one (ties count half).</summary>
    public static double PairwiseAccuracy(IReadOnlyList<(double Chosen, double Rejected)> rewards) =>
        rewards.Count == 0 ? double.NaN : rewards.Sum(r => r.Chosen > r.Rejected ? 1.0 : r.Chosen == r.Rejected ? 0.5 : 0.0) / rewards.Count;
}
