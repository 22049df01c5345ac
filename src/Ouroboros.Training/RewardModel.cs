using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Ouroboros.Training;

/// <summary>
/// A reward model: a <see cref="TinyTransformer"/> trunk and a scalar head read at the last token of
/// each (prompt, response), trained from preference pairs with the Bradley–Terry loss.
/// </summary>
public sealed class RewardModel : Module<SequenceBatch, Tensor>
{
    private readonly TinyTransformer _trunk;
    private readonly Linear _head;

    public RewardModel(TransformerShape shape) : base(nameof(RewardModel))
    {
        _trunk = new TinyTransformer(shape);
        _head = Linear(shape.Width, 1);
        RegisterComponents();
    }

    public TransformerShape Shape => _trunk.Shape;

    /// <summary>r(x, y) of each row [batch].</summary>
    public override Tensor forward(SequenceBatch batch)
    {
        using var scope = NewDisposeScope();
        var hidden = _trunk.Hidden(batch.Ids);
        var last = tensor(batch.Lengths.Select(l => (long)l - 1).ToArray()).view(-1, 1, 1).expand(-1, 1, hidden.shape[2]);
        return _head.forward(hidden.gather(1, last).squeeze(1)).squeeze(-1).MoveToOuterDisposeScope();
    }

    /// <summary>Fits the model to the pairs (prompt, chosen, rejected); returns each step's loss.</summary>
    public IReadOnlyList<double> Train(IReadOnlyList<(string Prompt, string Chosen, string Rejected)> pairs, OptimizerSettings settings, long seed, CancellationToken cancellationToken = default)
    {
        if (pairs.Count == 0) throw new ArgumentException("a reward model needs at least one preference pair");
        var order = new Random(unchecked((int)seed));
        var optimizer = new TensorAdamW(parameters(), settings.LearningRate, settings.WeightDecay);
        var losses = new List<double>(settings.Steps);
        train();
        for (var step = 0; step < settings.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var picked = Enumerable.Range(0, settings.BatchSize).Select(_ => pairs[order.Next(pairs.Count)]).ToList();
            using var batch = SequenceBatch.Of(picked.Select(p => (p.Prompt, p.Chosen)).Concat(picked.Select(p => (p.Prompt, p.Rejected))).ToList(), Shape.Context);
            var rewards = forward(batch);
            optimizer.ZeroGrad();
            var loss = BradleyTerry.Loss(rewards[..picked.Count], rewards[picked.Count..]);
            loss.backward();
            optimizer.Step();
            losses.Add(loss.item<float>());
        }
        eval();
        return losses;
    }

    /// <summary>Held-out pairwise accuracy on pairs the model was not trained on.</summary>
    public double Accuracy(IReadOnlyList<(string Prompt, string Chosen, string Rejected)> pairs)
    {
        eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var batch = SequenceBatch.Of(pairs.Select(p => (p.Prompt, p.Chosen)).Concat(pairs.Select(p => (p.Prompt, p.Rejected))).ToList(), Shape.Context);
        var rewards = forward(batch).data<float>().ToArray();
        return BradleyTerry.PairwiseAccuracy(Enumerable.Range(0, pairs.Count).Select(i => ((double)rewards[i], (double)rewards[pairs.Count + i])).ToList());
    }
}
