namespace Ouroboros.Tasks;

/// <summary>How one instance of a split went: its seed, score, status and, when it scored 0, why.</summary>
/// <param name="Status">A sandbox status (<c>ok</c>, <c>timeout</c>, <c>error</c>, ...) or one of <see cref="InstanceStatus"/>.</param>
/// <param name="RunMs">The instance's run time as the sandbox measured it; reported, never scored.</param>
public sealed record InstanceResult(int Seed, double Score, string Status, string? Detail, double RunMs);

/// <summary>Instance statuses the scorer adds to the sandbox's own (<c>ok</c>, <c>timeout</c>, <c>error</c>, ...).</summary>
public static class InstanceStatus
{
    /// <summary>The solution returned null (STOP's WalkSAT seed does when it gives up): 0, no event.</summary>
    public const string NullResult = "null_result";

    /// <summary>
    /// The output broke the contract (type, length, range): 0, counted in one <c>invalid_output</c>
    /// event per evaluation, and a <c>reward_hacking_suspected</c> one only when a lenient scorer
    /// would have scored it above 1 (<see cref="Grade.GamesTheScorer"/>).
    /// </summary>
    public const string InvalidOutput = "invalid_output";
}
