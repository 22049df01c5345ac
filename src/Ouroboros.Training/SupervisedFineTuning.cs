using static TorchSharp.torch;

namespace Ouroboros.Training;

/// <summary>
/// Supervised fine-tuning: next-token cross-entropy on the response tokens only (the prompt is
/// context, not a target), AdamW (<see cref="TensorAdamW"/>), shuffled minibatches drawn from a seeded generator.
/// </summary>
public static class SupervisedFineTuning
{
    /// <summary>Mean negative log-likelihood per response token of one batch.</summary>
    public static Tensor Loss(TinyTransformer model, SequenceBatch batch)
    {
        using var scope = NewDisposeScope();
        var perToken = SequenceLogProbs.PerToken(model, batch);
        return (-perToken.sum() / batch.ResponseMask[.., 1..].sum()).MoveToOuterDisposeScope();
    }

    /// <summary>Trains <paramref name="model"/> in place for <paramref name="settings"/>.Steps steps; returns the loss of each step.</summary>
    public static IReadOnlyList<double> Train(TinyTransformer model, IReadOnlyList<(string Prompt, string Response)> examples, OptimizerSettings settings, long seed, Action<int, double>? onStep = null, CancellationToken cancellationToken = default)
    {
        if (examples.Count == 0) throw new ArgumentException("supervised fine-tuning needs at least one example");
        var order = new Random(unchecked((int)seed));
        var optimizer = new TensorAdamW(model.parameters(), settings.LearningRate, settings.WeightDecay);
        var losses = new List<double>(settings.Steps);
        model.train();
        for (var step = 0; step < settings.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var picked = Enumerable.Range(0, settings.BatchSize).Select(_ => examples[order.Next(examples.Count)]).ToList();
            using var batch = SequenceBatch.Of(picked, model.Shape.Context);
            optimizer.ZeroGrad();
            var loss = Loss(model, batch);
            loss.backward();
            optimizer.Step();
            var value = loss.item<float>();
            losses.Add(value);
            onStep?.Invoke(step, value);
        }
        model.eval();
        return losses;
    }
}

/// <summary>AdamW settings and how many steps of which batch size to take.</summary>
public sealed record OptimizerSettings(int Steps, int BatchSize, double LearningRate, double WeightDecay = 0.01);
