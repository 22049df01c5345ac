using Ouroboros.SelfRewarding;

namespace Ouroboros.Training.SelfRewarding;

/// <summary>
/// The demonstration's synthetic task family (other-systems.md §1.8): sort a short string of digits.
/// The prompt is <c>sort 3172=</c>, the right answer <c>1237</c>. Its hidden additive rubric mirrors
/// the paper's additive judge prompt, one point each:
/// <list type="number">
/// <item>the answer is non-empty and uses only digits that occur in the prompt;</item>
/// <item>it has the prompt's number of digits;</item>
/// <item>it is a permutation of the prompt's digits;</item>
/// <item>it starts with the smallest digit;</item>
/// <item>it is non-empty, all digits, and in non-decreasing order.</item>
/// </list>
/// The rubric is the ground truth: the loop never sees it, except in the oracle control.
/// </summary>
public sealed class SortingTask : IRubric
{
    public SortingTask(int minDigits = 3, int maxDigits = 6)
    {
        if (minDigits < 1 || maxDigits < minDigits) throw new ArgumentException($"digit counts {minDigits}..{maxDigits} are not a range");
        MinDigits = minDigits;
        MaxDigits = maxDigits;
    }

    public int MinDigits { get; }
    public int MaxDigits { get; }

    public const string Prefix = "sort ";

    public string Prompt(string digits) => $"{Prefix}{digits}=";

    /// <summary>The digits a prompt asks to sort.</summary>
    public static string DigitsOf(string prompt) => prompt.StartsWith(Prefix, StringComparison.Ordinal) && prompt.EndsWith('=') ? prompt[Prefix.Length..^1] : "";

    public static string Solution(string prompt) => string.Concat(DigitsOf(prompt).Order());

    public double Score(string prompt, string response)
    {
        var digits = DigitsOf(prompt);
        var score = 0;
        if (response.Length > 0 && response.All(c => char.IsAsciiDigit(c) && digits.Contains(c))) score++;
        if (response.Length == digits.Length) score++;
        if (string.Concat(response.Order()) == string.Concat(digits.Order())) score++;
        if (response.Length > 0 && digits.Length > 0 && response[0] == digits.Min()) score++;
        if (response.Length > 0 && response.All(char.IsAsciiDigit) && response.Zip(response.Skip(1)).All(p => p.First <= p.Second)) score++;
        return score;
    }

    /// <summary><paramref name="count"/> prompts drawn from <paramref name="random"/>.</summary>
    public IReadOnlyList<string> Prompts(Random random, int count) =>
        Enumerable.Range(0, count).Select(_ => Prompt(string.Concat(Enumerable.Range(0, random.Next(MinDigits, MaxDigits + 1)).Select(_ => (char)('0' + random.Next(10)))))).ToList();

    /// <summary>
    /// A plausible wrong answer to <paramref name="prompt"/>: the solution with one to three edits
    /// (a swap, a dropped or repeated digit, a digit not in the prompt, the prompt's own order), so
    /// judge examples cover every rubric score.
    /// </summary>
    public static string Corrupt(string prompt, Random random)
    {
        var answer = Solution(prompt).ToList();
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits; e++)
        {
            switch (random.Next(5))
            {
                case 0 when answer.Count >= 2:
                    var i = random.Next(answer.Count - 1);
                    (answer[i], answer[i + 1]) = (answer[i + 1], answer[i]);
                    break;
                case 1 when answer.Count >= 2:
                    answer.RemoveAt(random.Next(answer.Count));
                    break;
                case 2:
                    var at = random.Next(answer.Count);
                    answer.Insert(at, answer.Count > 0 ? answer[Math.Min(at, answer.Count - 1)] : '0');
                    break;
                case 3:
                    answer[random.Next(answer.Count)] = (char)('0' + random.Next(10));
                    break;
                default:
                    answer = DigitsOf(prompt).ToList();
                    break;
            }
        }
        return string.Concat(answer);
    }
}
