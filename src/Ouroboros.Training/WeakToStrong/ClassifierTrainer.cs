using TorchSharp;
using static TorchSharp.torch;

namespace Ouroboros.Training.WeakToStrong;

/// <summary>
/// Epochs, minibatch size, SGD learning rate, the seed of the minibatch order, and the model to start
/// from (given a view's width; null: a fresh zero-initialised <see cref="LogisticRegression"/>).
/// </summary>
public sealed record TrainingSettings(int Epochs, int BatchSize, double LearningRate, long Seed, Func<int, Classifier>? Start = null)
{
    /// <summary>Adam (the official repository's fine-tuning optimizer, for setting (b)'s transformers) instead of plain SGD (the digest's, for setting (a)).</summary>
    public bool Adam { get; init; }
}

/// <summary>
/// Trains the protocol's classifiers with minibatch SGD. Two entry points, one per kind of
/// supervision: ground truth (the supervisor on A, the ceilings on B) and weak labels (the students on
/// B). The student's entry point takes a <see cref="WeakLabelledSet"/>, which has no truth to read;
/// neither takes a <see cref="TestSet"/>. The final model is the last epoch's: nothing is selected.
/// </summary>
public static class ClassifierTrainer
{
    /// <summary>A fresh model trained with cross-entropy on <paramref name="set"/>'s one-hot ground truth.</summary>
    public static Classifier OnGroundTruth(GroundTruthSet set, TrainingSettings settings)
    {
        var targets = set.Truth.Select(y => (float)y).ToArray();
        return Train(set.Inputs, targets, settings, (logits, batchTargets, _) => SoftCrossEntropy.Loss(logits, batchTargets), null).Model;
    }

    /// <summary>
    /// A fresh student trained on <paramref name="set"/>'s soft labels with <paramref name="method"/>;
    /// <paramref name="afterEpoch"/>, when given, reads the model after each epoch (a training curve: it
    /// is only recorded, never used to stop or choose).
    /// </summary>
    public static (Classifier Model, IReadOnlyList<double> Curve) OnWeakLabels(WeakLabelledSet set, TransferMethod method, bool largestStudent,
        TrainingSettings settings, Func<Classifier, double>? afterEpoch = null)
    {
        var targets = set.SoftLabels.ToArray();
        return Train(set.Inputs, targets, settings, (logits, batchTargets, frac) =>
        {
            var alpha = method.Alpha(frac, largestStudent);
            return alpha == 0
                ? SoftCrossEntropy.Loss(logits, batchTargets)
                : ConfidenceLoss.Loss(logits, batchTargets, alpha, method.PositiveFraction(batchTargets.mean().item<float>()));
        }, afterEpoch);
    }

    private static (Classifier Model, IReadOnlyList<double> Curve) Train(Inputs inputs, float[] targets, TrainingSettings settings,
        Func<Tensor, Tensor, double, Tensor> loss, Func<Classifier, double>? afterEpoch)
    {
        // The model is made outside the scope: its parameters outlive the training's temporaries.
        var model = settings.Start?.Invoke(inputs.Width) ?? new LogisticRegression(inputs.Width);
        using var scope = NewDisposeScope();
        var x = tensor(inputs.Features, [inputs.Count, inputs.Width]);
        var y = tensor(targets);
        // A parameter the loss does not reach (a transformer's unembedding, under a classification head) has no gradient.
        var parameters = model.parameters().Where(p => p.requires_grad).ToList();
        var update = settings.Adam ? new TensorAdamW(parameters, settings.LearningRate, weightDecay: 0) : null;
        // Plain SGD written out, with the rate as a tensor: optim.SGD's step passes a temporary Scalar (see SoftCrossEntropy).
        var rate = tensor((float)settings.LearningRate);
        var order = new Random(unchecked((int)settings.Seed));
        var batches = (inputs.Count + settings.BatchSize - 1) / settings.BatchSize;
        var steps = (double)settings.Epochs * batches;
        var curve = new List<double>();
        var permutation = Enumerable.Range(0, inputs.Count).Select(i => (long)i).ToArray();
        var step = 0;
        for (var epoch = 0; epoch < settings.Epochs; epoch++)
        {
            order.Shuffle(permutation);
            for (var b = 0; b < batches; b++)
            {
                using var stepScope = NewDisposeScope();
                var from = b * settings.BatchSize;
                var picked = tensor(permutation.AsSpan(from, Math.Min(settings.BatchSize, permutation.Length - from)).ToArray());
                // frac is measured before the step, as the repository's step / nsteps.
                var value = loss(model.forward(x.index_select(0, picked)), y.index_select(0, picked), step / steps);
                value.backward();
                using (no_grad())
                {
                    if (update is not null) update.Step();
                    else
                        foreach (var p in parameters.Where(p => p.grad is not null))
                            p.sub_(p.grad!.mul(rate));
                    foreach (var p in parameters.Where(p => p.grad is not null)) p.grad!.zero_();
                }
                step++;
            }
            if (afterEpoch is not null) curve.Add(afterEpoch(model));
        }
        return (model, curve);
    }
}
