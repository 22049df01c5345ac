namespace Ouroboros.SelfRewarding;

/// <summary>
/// A candidate's score from its judgements (the paper judges each response 3 times and averages):
/// the mean of the parsed ones; a judgement without a score is left out, and a candidate with none
/// has no score (lucidrains' reading; the paper does not say).
/// </summary>
public static class JudgeAverage
{
    public static double? Of(IEnumerable<double?> scores)
    {
        var valid = scores.OfType<double>().ToList();
        return valid.Count == 0 ? null : valid.Average();
    }
}
