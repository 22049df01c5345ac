using static TorchSharp.torch;

namespace Ouroboros.Training;

/// <summary>
/// DPO (Rafailov et al., arXiv 2305.18290), as the Self-Rewarding loop trains M_{t+1} from M_t:
/// <c>L = −log σ(β·[(log π(y_w|x) − log π_ref(y_w|x)) − (log π(y_l|x) − log π_ref(y_l|x))])</c>,
/// log-probabilities summed over response tokens, π_ref a frozen copy of the policy at the start.
/// </summary>
public static class DirectPreferenceOptimization
{
    /// <summary>The mean DPO loss of a batch of pairs, from the four summed log-probabilities [batch].</summary>
    public static Tensor Loss(Tensor policyChosen, Tensor policyRejected, Tensor referenceChosen, Tensor referenceRejected, double beta)
    {
        using var scope = NewDisposeScope();
        var margin = ((policyChosen - referenceChosen) - (policyRejected - referenceRejected)).mul(tensor((float)beta));   // β as a tensor: see TensorAdamW
        return (-nn.functional.logsigmoid(margin).mean()).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Trains <paramref name="policy"/> in place on <paramref name="pairs"/> (prompt, chosen, rejected),
    /// with a frozen copy of it as the reference; returns each step's loss and reward accuracy (the share
    /// of pairs whose implicit reward margin is positive).
    /// </summary>
    public static IReadOnlyList<(double Loss, double Accuracy)> Train(TinyTransformer policy, IReadOnlyList<(string Prompt, string Chosen, string Rejected)> pairs, OptimizerSettings settings, double beta, long seed, CancellationToken cancellationToken = default)
    {
        if (pairs.Count == 0) return [];
        using var reference = Checkpoint.Copy(policy);
        foreach (var p in reference.parameters()) p.requires_grad = false;
        reference.eval();
        var order = new Random(unchecked((int)seed));
        var optimizer = new TensorAdamW(policy.parameters(), settings.LearningRate, settings.WeightDecay);
        using var zero = tensor(0f);
        var history = new List<(double, double)>(settings.Steps);
        policy.train();
        for (var step = 0; step < settings.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var picked = Enumerable.Range(0, Math.Min(settings.BatchSize, pairs.Count)).Select(_ => pairs[order.Next(pairs.Count)]).ToList();
            // Chosen and rejected go through one forward pass: rows [0, n) chosen, [n, 2n) rejected.
            using var batch = SequenceBatch.Of(picked.Select(p => (p.Prompt, p.Chosen)).Concat(picked.Select(p => (p.Prompt, p.Rejected))).ToList(), policy.Shape.Context);
            var n = picked.Count;
            var policyLogProbs = SequenceLogProbs.Summed(policy, batch);
            Tensor referenceLogProbs;
            using (no_grad()) referenceLogProbs = SequenceLogProbs.Summed(reference, batch);
            optimizer.ZeroGrad();
            var loss = Loss(policyLogProbs[..n], policyLogProbs[n..], referenceLogProbs[..n], referenceLogProbs[n..], beta);
            loss.backward();
            optimizer.Step();
            var margin = (policyLogProbs[..n] - referenceLogProbs[..n]) - (policyLogProbs[n..] - referenceLogProbs[n..]);
            history.Add((loss.item<float>(), margin.gt(zero).to_type(float32).mean().item<float>()));
        }
        policy.eval();
        return history;
    }
}
