namespace Ouroboros.SelfRewarding;

/// <summary>
/// The shuffled-score control: the self judge's averaged scores, permuted among each prompt's
/// candidates with a seeded shuffle. The scores keep their distribution (so as many pairs are kept)
/// but no longer say which candidate is better, so training on them must not help. Judgements stay
/// with the candidate they were written about; only the score the pair builder sees moves.
/// </summary>
public sealed class ShuffledJudge(IPreferenceJudge inner) : IPreferenceJudge
{
    public string Name => "shuffled";

    public async Task<IReadOnlyList<IReadOnlyList<CandidateScore>>> ScoreAsync(ISelfRewardingModel model, IReadOnlyList<string> prompts,
        IReadOnlyList<IReadOnlyList<string>> candidates, long seed, CancellationToken cancellationToken)
    {
        var judged = await inner.ScoreAsync(model, prompts, candidates, seed, cancellationToken);
        return judged.Select((row, p) => Shuffle(row, LoopSeed.Of(seed, $"shuffle/p{p}"))).ToList();
    }

    /// <summary>The row with its scores permuted (Fisher–Yates, seeded); the judgements stay in place.</summary>
    public static IReadOnlyList<CandidateScore> Shuffle(IReadOnlyList<CandidateScore> row, long seed)
    {
        var scores = row.Select(c => c.Score).ToArray();
        new Random(unchecked((int)seed ^ (int)(seed >> 32))).Shuffle(scores);
        return row.Select((c, i) => c with { Score = scores[i] }).ToList();
    }
}
