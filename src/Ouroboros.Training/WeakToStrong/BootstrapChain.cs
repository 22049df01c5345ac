namespace Ouroboros.Training.WeakToStrong;

/// <summary>
/// Bootstrapping (paper §4.3.1): weak → M2 → … → strong, each student trained only on soft labels its
/// predecessor gives on split B (the first link's predecessor is the weak supervisor). Each link labels
/// the same split B it was trained on, since B is the only split students may learn from; for a
/// linear model fit to thousands of examples its in-sample predictions differ little from fresh ones.
/// </summary>
public static class BootstrapChain
{
    /// <summary>One link: the size trained, the model, and the labels it learnt from (whose <see cref="WeakLabelledSet.LabelledBy"/> names its predecessor).</summary>
    public sealed record Link(int Size, Classifier Model, WeakLabelledSet Labels);

    /// <summary>
    /// Trains the chain through <paramref name="rungs"/> (each size with its view of B, ascending; the first
    /// is the supervisor's own) with <paramref name="method"/>; <paramref name="settings"/> gives each size's training.
    /// </summary>
    public static IReadOnlyList<Link> Train(Classifier supervisor, IReadOnlyList<(int Size, Inputs ViewOfB)> rungs, TransferMethod method,
        Func<int, TrainingSettings> settings)
    {
        if (rungs.Count < 3) throw new ArgumentException("a chain runs through at least one intermediate size");
        var links = new List<Link>();
        var (teacher, teacherView, teacherName) = (supervisor, rungs[0].ViewOfB, $"{W2sRow.Weak}:{rungs[0].Size}");
        foreach (var (size, view) in rungs.Skip(1))
        {
            var labels = WeakLabelledSet.Label(teacher, teacherName, teacherView, view);
            var (model, _) = ClassifierTrainer.OnWeakLabels(labels, method, size == rungs[^1].Size, settings(size));
            links.Add(new Link(size, model, labels));
            (teacher, teacherView, teacherName) = (model, view, $"{W2sRow.Chain}:{size}");
        }
        return links;
    }
}
