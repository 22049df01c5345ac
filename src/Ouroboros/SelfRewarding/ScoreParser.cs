using System.Globalization;
using System.Text.RegularExpressions;

namespace Ouroboros.SelfRewarding;

/// <summary>TEMPORARY (replaced by the engine's parser at merge): the last <c>Score: n</c> in [0, 5].</summary>
public static partial class ScoreParser
{
    public static double? Parse(string judgement)
    {
        var matches = Pattern().Matches(judgement);
        if (matches.Count == 0) return null;
        var value = double.Parse(matches[^1].Groups[1].Value, CultureInfo.InvariantCulture);
        return value is >= 0 and <= 5 ? value : null;
    }

    [GeneratedRegex(@"Score:\s*(\d+(?:\.\d+)?)")]
    private static partial Regex Pattern();
}
