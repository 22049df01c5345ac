namespace Ouroboros.Training.SelfRewarding;

/// <summary>
/// How the small model is asked to judge. The paper's judge prompt is ~1,900 characters, far beyond
/// the small model's context, so the demonstration uses a compact judge prefix with the same role:
/// <c>judge {prompt}{response}|</c>, answered by one score digit. The model's answer is handed to the
/// loop as <c>Score: {answer}</c>, so the paper's parser decides: anything but a number in [0, 5] is no score.
/// </summary>
public static class CompactJudge
{
    public const string Format = "compact: judge {prompt}{response}| → score digit";

    public static string Prefix(string prompt, string response) => $"judge {prompt}{response}|";

    public static string AsJudgement(string answer) => $"Score: {answer}";
}
