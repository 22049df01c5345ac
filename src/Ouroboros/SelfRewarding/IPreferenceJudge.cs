namespace Ouroboros.SelfRewarding;

/// <summary>
/// What scores a prompt's candidates in one iteration: the model itself (the paper's self-rewarding
/// judge, <see cref="SelfJudge"/>), or one of the controls — its scores shuffled (<see cref="ShuffledJudge"/>),
/// the hidden rubric (<see cref="OracleJudge"/>). The loop builds pairs from whatever it returns.
/// </summary>
public interface IPreferenceJudge
{
    /// <summary>The arm's name for it: <c>self</c>, <c>shuffled</c>, <c>oracle</c>.</summary>
    string Name { get; }

    /// <summary>Each prompt's candidates scored, in the same shape as <paramref name="candidates"/>; <paramref name="seed"/> fixes every draw.</summary>
    Task<IReadOnlyList<IReadOnlyList<CandidateScore>>> ScoreAsync(ISelfRewardingModel model, IReadOnlyList<string> prompts,
        IReadOnlyList<IReadOnlyList<string>> candidates, long seed, CancellationToken cancellationToken);
}

/// <summary>One candidate's judgements (raw text), what each parsed to, and the score the pair builder sees (null: none).</summary>
public sealed record CandidateScore(IReadOnlyList<string> Judgements, IReadOnlyList<double?> Parsed, double? Score);
