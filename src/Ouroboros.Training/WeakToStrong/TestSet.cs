namespace Ouroboros.Training.WeakToStrong;

/// <summary>
/// The test split in one model's view, with its truth: the only form the test split takes, and no
/// trainer accepts it — it is passed to <see cref="Classifier.Accuracy"/> and nothing else,
/// so it is never used for training or for choosing a model.
/// </summary>
public sealed class TestSet
{
    public TestSet(Inputs inputs, int[] truth)
    {
        if (inputs.Split != Split.Test) throw new ArgumentException($"a test set comes from the test split, not split {inputs.Split}");
        if (truth.Length != inputs.Count) throw new ArgumentException("one label per example");
        Inputs = inputs;
        Truth = truth;
    }

    public Inputs Inputs { get; }

    public IReadOnlyList<int> Truth { get; }
}
