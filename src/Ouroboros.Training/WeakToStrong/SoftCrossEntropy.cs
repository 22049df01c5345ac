using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ouroboros.Training.WeakToStrong;

/// <summary>
/// Cross-entropy against a target distribution, the official repository's <c>xent</c>:
/// −Σ_c t_c · log softmax(logits)_c, averaged over the batch. With one-hot targets it is the usual
/// cross-entropy; with a weak supervisor's soft labels it trains the student toward its probabilities.
/// </summary>
public static class SoftCrossEntropy
{
    /// <summary>The loss for logits [batch, 2] and the target probability of class 1 [batch].</summary>
    public static Tensor Loss(Tensor logits, Tensor positive)
    {
        using var scope = NewDisposeScope();
        var targets = stack([1 - positive, positive], 1);
        return (-(targets * functional.log_softmax(logits, 1)).sum(1).mean()).MoveToOuterDisposeScope();
    }
}
