using System.Globalization;
using System.Text.RegularExpressions;

namespace Ouroboros.SelfRewarding;

/// <summary>
/// Reads a judgement's score: the last <c>Score: &lt;number&gt;</c> in the text, as the paper's prompt
/// asks the judge to conclude with it (a justification may quote "Score: 5" before its own verdict).
/// No match, or a number outside the rubric's [0, 5], is no score: lucidrains drops such judgements.
/// </summary>
public static partial class ScoreParser
{
    public const double Min = 0, Max = 5;

    [GeneratedRegex(@"Score:\s*(\d+(?:\.\d+)?)", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static double? Parse(string? judgement)
    {
        if (string.IsNullOrEmpty(judgement)) return null;
        var matches = Pattern().Matches(judgement);
        if (matches.Count == 0) return null;
        var value = double.Parse(matches[^1].Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        return value is >= Min and <= Max ? value : null;
    }
}
