using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ouroboros.Training.WeakToStrong;

/// <summary>
/// Cross-entropy against a target distribution, the official repository's <c>xent</c>:
/// −Σ_c t_c · log softmax(logits)_c, averaged over the batch. With one-hot targets it is the usual
/// cross-entropy; with a weak supervisor's soft labels it trains the student toward its probabilities.
/// </summary>
/// <remarks>
/// Every tensor operation in this folder is tensor-by-tensor (sub, mul, neg), never tensor-and-number:
/// TorchSharp 0.107 turns a number into a temporary Scalar that its finalizer may free while libtorch
/// still reads it (seen here as an intermittent failed toFloat check inside <c>1 - t</c> and SGD.step).
/// </remarks>
public static class SoftCrossEntropy
{
    /// <summary>The loss for logits [batch, 2] and the target probability of class 1 [batch].</summary>
    public static Tensor Loss(Tensor logits, Tensor positive)
    {
        using var scope = NewDisposeScope();
        var targets = stack([ones_like(positive).sub(positive), positive], 1);
        return targets.mul(functional.log_softmax(logits, 1)).sum(1).mean().neg().MoveToOuterDisposeScope();
    }
}
