namespace Ouroboros.SelfRewarding;

/// <summary>
/// The oracle control: the hidden rubric scores every candidate, once and exactly, in place of the
/// model's judgement — the upper bound of what a judge could give the loop.
/// </summary>
public sealed class OracleJudge(IRubric rubric) : IPreferenceJudge
{
    public string Name => "oracle";

    public Task<IReadOnlyList<IReadOnlyList<CandidateScore>>> ScoreAsync(ISelfRewardingModel model, IReadOnlyList<string> prompts,
        IReadOnlyList<IReadOnlyList<string>> candidates, long seed, CancellationToken cancellationToken)
    {
        IReadOnlyList<IReadOnlyList<CandidateScore>> scores = prompts.Select((p, i) => (IReadOnlyList<CandidateScore>)candidates[i]
            .Select(c => rubric.Score(p, c) is var s ? new CandidateScore([], [s], s) : null!).ToList()).ToList();
        return Task.FromResult(scores);
    }
}
