namespace Ouroboros.Training.WeakToStrong;

/// <summary>
/// One model's view of some examples: a row of features per example (row-major), with each example's
/// index in the population and the split it comes from. Carries no label of any kind.
/// </summary>
public sealed class Inputs
{
    public Inputs(Split split, int[] ids, float[] features, int width)
    {
        if (features.Length != ids.Length * width) throw new ArgumentException($"{ids.Length} examples of width {width} need {ids.Length * width} features, not {features.Length}");
        Split = split;
        Ids = ids;
        Features = features;
        Width = width;
    }

    public Split Split { get; }

    /// <summary>Each example's index in the population, in row order.</summary>
    public IReadOnlyList<int> Ids { get; }

    /// <summary>Features [count × width], row-major.</summary>
    public float[] Features { get; }

    public int Width { get; }

    public int Count => Ids.Count;
}
