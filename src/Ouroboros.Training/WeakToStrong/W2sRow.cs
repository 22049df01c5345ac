namespace Ouroboros.Training.WeakToStrong;

/// <summary>
/// One trained model's result as stored: in which setting, view and seed; its role (<c>weak</c>: the
/// supervisor on A; <c>ceiling</c>: ground truth on B; <c>student</c>: the supervisor's weak labels on B;
/// <c>chain</c>: a bootstrapping chain's link, labelled by its predecessor), its method and epochs (empty
/// and the ground-truth epochs for weak and ceiling), who supervised it, its size, its test accuracy, and
/// for students the test accuracy after each epoch (a training curve, recorded, never used to choose).
/// </summary>
public sealed record W2sRow(string RunId, string Setting, string View, int Seed, string Role, string Method, int Epochs, int SupervisorSize, int Size,
    double TestAccuracy, IReadOnlyList<double>? Curve)
{
    public const string Weak = "weak", Ceiling = "ceiling", Student = "student", Chain = "chain";
}
