namespace Ouroboros.Training.WeakToStrong;

/// <summary>Which of the protocol's splits a set of examples comes from.</summary>
public enum Split
{
    /// <summary>The weak supervisor's ground truth.</summary>
    A,
    /// <summary>Labelled by the supervisor for the students; its ground truth trains only the ceilings.</summary>
    B,
    /// <summary>Evaluation only.</summary>
    Test,
}
