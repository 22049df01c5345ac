using static TorchSharp.torch;

namespace Ouroboros.Training;

/// <summary>
/// log π(response | prompt) of each row of a batch: the log-probabilities of the response tokens
/// (the end token included), summed; the prompt's tokens are masked out. DPO uses the sum, as the
/// paper does (lucidrains' port uses a length-normalised mean; we do not).
/// </summary>
public static class SequenceLogProbs
{
    /// <summary>Per-token log-probabilities of each target [batch, time − 1], times the response mask.</summary>
    public static Tensor PerToken(TinyTransformer model, SequenceBatch batch)
    {
        using var scope = NewDisposeScope();
        var logits = model.forward(batch.Ids);
        var predictions = logits[.., ..^1, ..].log_softmax(-1);
        var targets = batch.Ids[.., 1..].unsqueeze(-1);
        var picked = predictions.gather(-1, targets).squeeze(-1);
        return (picked * batch.ResponseMask[.., 1..]).MoveToOuterDisposeScope();
    }

    /// <summary>Summed response log-probability of each row [batch].</summary>
    public static Tensor Summed(TinyTransformer model, SequenceBatch batch)
    {
        using var scope = NewDisposeScope();
        return PerToken(model, batch).sum(1).MoveToOuterDisposeScope();
    }
}
