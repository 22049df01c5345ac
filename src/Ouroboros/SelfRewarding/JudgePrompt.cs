namespace Ouroboros.SelfRewarding;

/// <summary>
/// The paper's LLM-as-a-Judge prompt (Yuan et al. 2024, Figure 2): the additive 5-point rubric with
/// the slots <c>{{ prompt }}</c> and <c>{{ response }}</c>, rendered by plain substitution.
/// </summary>
public static class JudgePrompt
{
    /// <summary>
    /// The text of lucidrains/self-rewarding-lm-pytorch's <c>DEFAULT_LLM_AS_JUDGE_PROMPT</c>, with its
    /// typographic quotes and apostrophes and its line breaks (the figure's), lines joined by "\n".
    /// That literal opens and closes with a newline only because it is a Python triple-quoted string;
    /// jinja2 drops the trailing one when rendering and the leading one is layout, so both are left out
    /// here: the prompt starts at "Review" and ends at "criteria." with no newline after it.
    /// </summary>
    public const string Template =
        "Review the user’s question and the corresponding response using the additive 5-point\n" +
        "scoring system described below. Points are accumulated based on the satisfaction of each\n" +
        "criterion:\n" +
        "- Add 1 point if the response is relevant and provides some information related to\n" +
        "the user’s inquiry, even if it is incomplete or contains some irrelevant content.\n" +
        "- Add another point if the response addresses a substantial portion of the user’s question,\n" +
        "but does not completely resolve the query or provide a direct answer.\n" +
        "- Award a third point if the response answers the basic elements of the user’s question in a\n" +
        "useful way, regardless of whether it seems to have been written by an AI Assistant or if it\n" +
        "has elements typically found in blogs or search results.\n" +
        "- Grant a fourth point if the response is clearly written from an AI Assistant’s perspective,\n" +
        "addressing the user’s question directly and comprehensively, and is well-organized and\n" +
        "helpful, even if there is slight room for improvement in clarity, conciseness or focus.\n" +
        "- Bestow a fifth point for a response that is impeccably tailored to the user’s question\n" +
        "by an AI Assistant, without extraneous information, reflecting expert knowledge, and\n" +
        "demonstrating a high-quality, engaging, and insightful answer.\n" +
        "User: {{ prompt }}\n" +
        "<response>{{ response }}</response>\n" +
        "After examining the user’s instruction and the response:\n" +
        "- Briefly justify your total score, up to 100 words.\n" +
        "- Conclude with the score using the format: “Score: <total points>”\n" +
        "Remember to assess from the AI Assistant perspective, utilizing web search knowledge as\n" +
        "necessary. To evaluate the response in alignment with this additive scoring model, we’ll\n" +
        "systematically attribute points based on the outlined criteria.";

    public const string PromptSlot = "{{ prompt }}", ResponseSlot = "{{ response }}";

    /// <summary>
    /// The prompt for one (prompt, response). Both slots are filled in one pass, so a prompt that itself
    /// contains <c>{{ response }}</c> is left as the user wrote it (jinja2 does not re-render values either).
    /// </summary>
    public static string Render(string prompt, string response)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(response);
        int p = Template.IndexOf(PromptSlot, StringComparison.Ordinal), r = Template.IndexOf(ResponseSlot, StringComparison.Ordinal);
        return Template[..p] + prompt + Template[(p + PromptSlot.Length)..r] + response + Template[(r + ResponseSlot.Length)..];
    }
}
