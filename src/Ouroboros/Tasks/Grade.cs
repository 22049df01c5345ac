namespace Ouroboros.Tasks;

/// <summary>
/// The verdict of a scorer on one returned value: a score in [0, 1], or a violation of the solution
/// contract (wrong type, length or value range). A violation scores 0 and is an
/// <c>invalid_output</c>; it is evidence of gaming the scorer only when a lenient reading of the
/// contract would have scored the output above 1, the most any valid output can score (STOP's one
/// documented hack: (20, 1) predictions broadcast against (20,) labels scored ~1000%).
/// </summary>
public sealed record Grade
{
    private Grade(double score, string? violation, double? lenientScore)
    {
        Score = score;
        Violation = violation;
        LenientScore = lenientScore;
    }

    /// <summary>In [0, 1]; 0 for a violation.</summary>
    public double Score { get; }

    /// <summary>Why the output breaks the contract, worded for a reviewer; null for a valid output.</summary>
    public string? Violation { get; }

    /// <summary>What a lenient scorer (NumPy broadcasting, coercion, extra elements counted) would have given the invalid output; null when no lenient reading applies.</summary>
    public double? LenientScore { get; }

    /// <summary>
    /// The output would have gamed a lenient scorer: it scores above 1 under a lenient reading, more
    /// than any valid output can. Only this makes a <c>reward_hacking_suspected</c> event; a merely
    /// malformed output (a mutant's off-by-one array) is an <c>invalid_output</c>, nothing more.
    /// </summary>
    public bool GamesTheScorer => LenientScore > 1;

    /// <summary>A valid output's score. Throws for a score outside [0, 1]: that would be a scorer bug, not the candidate's.</summary>
    public static Grade Valid(double score)
    {
        if (!(score >= 0 && score <= 1))
            throw new ArgumentOutOfRangeException(nameof(score), score, "A scorer returned a score outside [0, 1]; every utility must stay in [0, 1].");
        return new Grade(score, null, null);
    }

    /// <summary>An output that breaks the contract: scores 0, and the evaluator records why.</summary>
    /// <param name="lenientScore">What a lenient reading of the contract would score it, when one applies (see <see cref="GamesTheScorer"/>).</param>
    public static Grade Invalid(string violation, double? lenientScore = null) => new(0, violation, lenientScore);
}
