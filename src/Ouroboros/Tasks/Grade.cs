namespace Ouroboros.Tasks;

/// <summary>
/// The verdict of a scorer on one returned value: a score in [0, 1], or a violation of the
/// solution contract (wrong type, length or value range). A violation scores 0 and is reported as a
/// suspected reward hack, because STOP's one documented hack was exactly that: an output of the
/// wrong shape that the scorer silently accepted.
/// </summary>
public sealed record Grade
{
    private Grade(double score, string? violation)
    {
        Score = score;
        Violation = violation;
    }

    /// <summary>In [0, 1]; 0 for a violation.</summary>
    public double Score { get; }

    /// <summary>Why the output breaks the contract, worded for a reviewer; null for a valid output.</summary>
    public string? Violation { get; }

    /// <summary>A valid output's score. Throws for a score outside [0, 1]: that would be a scorer bug, not the candidate's.</summary>
    public static Grade Valid(double score)
    {
        if (!(score >= 0 && score <= 1))
            throw new ArgumentOutOfRangeException(nameof(score), score, "A scorer returned a score outside [0, 1]; every utility must stay in [0, 1].");
        return new Grade(score, null);
    }

    /// <summary>An output that breaks the contract: scores 0, and the evaluator records why.</summary>
    public static Grade Invalid(string violation) => new(0, violation);
}
