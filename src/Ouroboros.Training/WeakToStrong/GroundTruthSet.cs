namespace Ouroboros.Training.WeakToStrong;

/// <summary>
/// Training inputs with their true labels: split A for the weak supervisor, split B for the ceilings.
/// Never the test split (<see cref="TestSet"/> is the only type the test split comes in), so nothing
/// trains on it.
/// </summary>
public sealed class GroundTruthSet
{
    public GroundTruthSet(Inputs inputs, int[] truth)
    {
        if (inputs.Split == Split.Test) throw new ArgumentException("the test split is for evaluation only: it is never a training set");
        if (truth.Length != inputs.Count) throw new ArgumentException("one label per example");
        Inputs = inputs;
        Truth = truth;
    }

    public Inputs Inputs { get; }

    /// <summary>The true class (0 or 1) of each example.</summary>
    public IReadOnlyList<int> Truth { get; }
}
