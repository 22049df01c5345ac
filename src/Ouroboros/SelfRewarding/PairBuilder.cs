namespace Ouroboros.SelfRewarding;

/// <summary>
/// AIFT(M_t) from scored candidates (paper §2.2, lucidrains' rules where the paper is silent): per
/// prompt, the candidates with a score; fewer than two: the prompt is skipped; chosen is the first of
/// the highest, rejected the first of the lowest; equal highest and lowest: the prompt is discarded.
/// </summary>
public static class PairBuilder
{
    /// <summary>The pair of one prompt, or why there is none.</summary>
    public static (PreferencePair? Pair, PairOutcome Outcome) Build(string prompt, IReadOnlyList<string> candidates, IReadOnlyList<double?> scores, int iteration)
    {
        if (candidates.Count != scores.Count) throw new ArgumentException($"{candidates.Count} candidates but {scores.Count} scores");
        int best = -1, worst = -1, valid = 0;
        for (int i = 0; i < scores.Count; i++)
        {
            if (scores[i] is not { } s) continue;
            valid++;
            // Strict comparisons keep the first of equal maxima and minima: a stable argmax / argmin.
            if (best < 0 || s > scores[best]!.Value) best = i;
            if (worst < 0 || s < scores[worst]!.Value) worst = i;
        }
        if (valid < 2) return (null, PairOutcome.TooFewScores);
        if (scores[best] == scores[worst]) return (null, PairOutcome.Tied);
        return (new PreferencePair(prompt, candidates[best], candidates[worst], scores[best]!.Value, scores[worst]!.Value, iteration), PairOutcome.Kept);
    }

    /// <summary>Every prompt's pair, with the counts the run logs and stores.</summary>
    public static PairSet BuildAll(IReadOnlyList<string> prompts, IReadOnlyList<IReadOnlyList<string>> candidates, IReadOnlyList<IReadOnlyList<double?>> scores, int iteration)
    {
        var pairs = new List<PreferencePair>();
        int tied = 0, tooFew = 0;
        for (int p = 0; p < prompts.Count; p++)
        {
            var (pair, outcome) = Build(prompts[p], candidates[p], scores[p], iteration);
            if (pair is not null) pairs.Add(pair);
            if (outcome == PairOutcome.Tied) tied++;
            if (outcome == PairOutcome.TooFewScores) tooFew++;
        }
        return new PairSet(pairs, tied, tooFew);
    }
}

/// <summary>What became of one prompt's candidates.</summary>
public enum PairOutcome { Kept, Tied, TooFewScores }

/// <summary>The pairs of one iteration, and how many prompts gave none (all scores equal; fewer than two scored).</summary>
public sealed record PairSet(IReadOnlyList<PreferencePair> Pairs, int Tied, int TooFewScores)
{
    public int Kept => Pairs.Count;
}
