namespace Ouroboros.SelfRewarding;

/// <summary>
/// The paper's judge: M_t judges each of its own candidates <c>samples</c> times with sampling (3, at
/// lucidrains' T = 0.7, p = 0.9), each judgement parsed (<see cref="ScoreParser"/>) and the parsed
/// ones averaged (<see cref="JudgeAverage"/>). Each round judges every candidate in one batch, so a
/// local model runs it as one forward pass.
/// </summary>
public sealed class SelfJudge(int samples, SamplingSettings sampling) : IPreferenceJudge
{
    public string Name => "self";

    public async Task<IReadOnlyList<IReadOnlyList<CandidateScore>>> ScoreAsync(ISelfRewardingModel model, IReadOnlyList<string> prompts,
        IReadOnlyList<IReadOnlyList<string>> candidates, long seed, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        var items = prompts.SelectMany((p, i) => candidates[i].Select(c => new JudgedItem(p, c))).ToList();
        var rounds = new List<IReadOnlyList<string>>();
        for (int r = 0; r < samples; r++)
        {
            var judgements = await model.JudgeAsync(items, sampling, LoopSeed.Of(seed, $"judge/r{r}"), cancellationToken);
            if (judgements.Count != items.Count) throw new InvalidOperationException($"the model returned {judgements.Count} judgements for {items.Count} items");
            rounds.Add(judgements);
        }
        var scores = new List<IReadOnlyList<CandidateScore>>();
        int k = 0;
        foreach (var list in candidates)
        {
            var row = new List<CandidateScore>();
            foreach (var _ in list)
            {
                var texts = rounds.Select(r => r[k]).ToList();
                var parsed = texts.Select(ScoreParser.Parse).ToList();
                row.Add(new CandidateScore(texts, parsed, JudgeAverage.Of(parsed)));
                k++;
            }
            scores.Add(row);
        }
        return scores;
    }
}
