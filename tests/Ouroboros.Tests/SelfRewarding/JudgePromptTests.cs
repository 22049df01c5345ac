using Ouroboros.SelfRewarding;

namespace Ouroboros.Tests.SelfRewarding;

public class JudgePromptTests
{
    // The paper's Figure 2 as lucidrains/self-rewarding-lm-pytorch has it (DEFAULT_LLM_AS_JUDGE_PROMPT),
    // written out again here, independently of the constant, with the slots filled.
    private const string Expected = """
        Review the user’s question and the corresponding response using the additive 5-point
        scoring system described below. Points are accumulated based on the satisfaction of each
        criterion:
        - Add 1 point if the response is relevant and provides some information related to
        the user’s inquiry, even if it is incomplete or contains some irrelevant content.
        - Add another point if the response addresses a substantial portion of the user’s question,
        but does not completely resolve the query or provide a direct answer.
        - Award a third point if the response answers the basic elements of the user’s question in a
        useful way, regardless of whether it seems to have been written by an AI Assistant or if it
        has elements typically found in blogs or search results.
        - Grant a fourth point if the response is clearly written from an AI Assistant’s perspective,
        addressing the user’s question directly and comprehensively, and is well-organized and
        helpful, even if there is slight room for improvement in clarity, conciseness or focus.
        - Bestow a fifth point for a response that is impeccably tailored to the user’s question
        by an AI Assistant, without extraneous information, reflecting expert knowledge, and
        demonstrating a high-quality, engaging, and insightful answer.
        User: What is 2 + 2?
        <response>2 + 2 = 4.
        That is all.</response>
        After examining the user’s instruction and the response:
        - Briefly justify your total score, up to 100 words.
        - Conclude with the score using the format: “Score: <total points>”
        Remember to assess from the AI Assistant perspective, utilizing web search knowledge as
        necessary. To evaluate the response in alignment with this additive scoring model, we’ll
        systematically attribute points based on the outlined criteria.
        """;

    [Fact]
    public void Renders_the_papers_prompt_byte_for_byte_with_its_slots_filled()
    {
        var rendered = JudgePrompt.Render("What is 2 + 2?", "2 + 2 = 4.\nThat is all.");
        // Compared as UTF-8 bytes: the typographic quotes and apostrophes, and \n line ends, are part of the text.
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(Expected.Replace("\r\n", "\n")), System.Text.Encoding.UTF8.GetBytes(rendered));
        Assert.StartsWith("Review", rendered);
        Assert.EndsWith("criteria.", rendered);
    }

    [Fact]
    public void A_prompt_containing_the_response_slot_is_left_as_written()
    {
        var rendered = JudgePrompt.Render("say {{ response }}", "ok");
        Assert.Contains("User: say {{ response }}\n<response>ok</response>", rendered);
    }
}
