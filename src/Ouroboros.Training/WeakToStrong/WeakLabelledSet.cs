namespace Ouroboros.Training.WeakToStrong;

/// <summary>
/// What a student learns from: its own view of split B with a supervisor's soft labels (the
/// supervisor's probability of the positive class, from the supervisor's own view of the same
/// examples). It has no ground-truth field, and it is made only by <see cref="Label"/>, which takes
/// a trained supervisor and no truth: a student's trainer that receives it cannot see ground truth.
/// </summary>
public sealed class WeakLabelledSet
{
    private WeakLabelledSet(Inputs inputs, float[] soft, string labelledBy)
    {
        Inputs = inputs;
        SoftLabels = soft;
        LabelledBy = labelledBy;
    }

    /// <summary>The student's view of split B.</summary>
    public Inputs Inputs { get; }

    /// <summary>The supervisor's probability of class 1 for each example, in row order.</summary>
    public IReadOnlyList<float> SoftLabels { get; }

    /// <summary>Which model produced the labels (e.g. <c>weak:1</c>, <c>chain:2</c>): the provenance a chain's test reads.</summary>
    public string LabelledBy { get; }

    /// <summary>
    /// The supervisor's soft labels on split B: it predicts on <paramref name="supervisorView"/> and the
    /// labels are attached, example by example, to <paramref name="studentView"/>. Both must be split B,
    /// the same examples in the same order: soft labels are produced on B and nowhere else.
    /// </summary>
    public static WeakLabelledSet Label(Classifier supervisor, string labelledBy, Inputs supervisorView, Inputs studentView)
    {
        if (supervisorView.Split != Split.B || studentView.Split != Split.B)
            throw new ArgumentException($"weak labels are produced on split B only, not on {supervisorView.Split}/{studentView.Split}");
        if (!supervisorView.Ids.SequenceEqual(studentView.Ids)) throw new ArgumentException("the supervisor's and the student's views must be of the same examples");
        return new WeakLabelledSet(studentView, supervisor.Positive(supervisorView), labelledBy);
    }
}
