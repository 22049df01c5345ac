namespace Ouroboros.Training.WeakToStrong;

/// <summary>
/// Setting (a)'s three ways a student can see the supervisor's private noise ε (the cause of all its
/// errors, since the truth is a function of z alone), from the digest's scratch run:
/// <c>inexpressible</c> — the student sees no ε, so no linear student can copy the errors;
/// <c>salient</c> — it sees ε at full scale beside z, so copying them is as easy as learning the truth;
/// <c>less-salient</c> — it sees 0.3·ε: the errors are learnable but take longer to fit.
/// </summary>
public static class LatentViews
{
    public const string Inexpressible = "inexpressible", Salient = "salient", LessSalient = "less-salient";

    public static readonly IReadOnlyList<string> All = [Inexpressible, Salient, LessSalient];

    /// <summary>How much of the supervisor's noise a student's view carries beside its view of z (none: not at all).</summary>
    public static double? SupervisorNoiseScale(string view) => view switch
    {
        Inexpressible => null,
        Salient => 1.0,
        LessSalient => 0.3,
        _ => throw new ArgumentException($"no view '{view}'"),
    };
}
