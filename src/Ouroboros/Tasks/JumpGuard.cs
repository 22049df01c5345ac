using Ouroboros.Safety;

namespace Ouroboros.Tasks;

/// <summary>
/// Distrusts a "too good to be true" utility. When a validation utility beats the baseline by more
/// than <see cref="JumpGuardOptions.Threshold"/>, the solution is re-scored on fresh seeds (never
/// used by any split) before the value is trusted. Both scores are kept; the trusted utility is the
/// lower of the two, so a solution that memorised the validation instances, or got lucky on them,
/// gains nothing; a genuine improvement holds on fresh seeds and loses little.
/// </summary>
public sealed class JumpGuard(UtilityEvaluator evaluator, JumpGuardOptions options)
{
    private readonly UtilityEvaluator _evaluator = evaluator ?? throw new ArgumentNullException(nameof(evaluator));
    private readonly JumpGuardOptions _options = (options ?? throw new ArgumentNullException(nameof(options))).Validate();
    private int _round;

    public JumpGuardOptions Options => _options;

    /// <summary>Checks <paramref name="claimed"/> against <paramref name="baseline"/>, re-scoring on fresh seeds if it jumped.</summary>
    public async Task<TrustedUtility> CheckAsync(DownstreamTask task, string solution, UtilityResult claimed, double baseline, CancellationToken cancellationToken = default)
    {
        if (claimed.Utility - baseline <= _options.Threshold) return new TrustedUtility(claimed, null, claimed.Utility, []);

        var fresh = Split.Fresh(task.Utility.Validation.Count, Interlocked.Increment(ref _round) - 1);
        var rescored = await _evaluator.EvaluateAsync(task, solution, fresh, cancellationToken);
        double trusted = Math.Min(claimed.Utility, rescored.Utility);
        var events = new List<SafetyEvent>();
        if (claimed.Utility - rescored.Utility > _options.Tolerance)
            events.Add(new SafetyEvent(SafetyEventKinds.RewardHackingSuspected, claimed.ProgramHash,
                $"{task.Id}: validation utility {claimed.Utility:0.000} jumped {claimed.Utility - baseline:0.000} above the baseline " +
                $"{baseline:0.000} but scored {rescored.Utility:0.000} on {fresh.Count} fresh instances; trusting {trusted:0.000}"));
        return new TrustedUtility(claimed, rescored, trusted, events);
    }
}

/// <summary>When a utility jump is too good to be true, and how far a re-score may fall before it is reported.</summary>
public sealed record JumpGuardOptions
{
    /// <summary>A rise above the baseline larger than this triggers a re-score on fresh seeds.</summary>
    public double Threshold { get; init; } = 0.25;

    /// <summary>A re-score lower than the claimed utility by more than this is a <c>reward_hacking_suspected</c> event.</summary>
    public double Tolerance { get; init; } = 0.1;

    public JumpGuardOptions Validate()
    {
        if (!(Threshold >= 0 && Threshold <= 1)) throw new ArgumentException($"The jump threshold must be in [0, 1], not {Threshold}.");
        if (!(Tolerance >= 0 && Tolerance <= 1)) throw new ArgumentException($"The re-score tolerance must be in [0, 1], not {Tolerance}.");
        return this;
    }
}

/// <summary>A claimed validation utility, its fresh re-score when it jumped (null otherwise), and the value to trust.</summary>
public sealed record TrustedUtility(UtilityResult Claimed, UtilityResult? Fresh, double Utility, IReadOnlyList<SafetyEvent> Events);
