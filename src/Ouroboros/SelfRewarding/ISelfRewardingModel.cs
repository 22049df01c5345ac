namespace Ouroboros.SelfRewarding;

/// <summary>
/// M_t of the Self-Rewarding loop (Yuan et al., arXiv 2401.10020): one model in two roles. As the
/// actor it answers prompts; as the judge it writes a judgement of a (prompt, response) whose
/// <c>Score: k</c> the loop parses (<c>ScoreParser</c>). A chat model renders the paper's
/// judge prompt (<c>JudgePrompt</c>) exactly; a small local model may use its own compact
/// judge prefix, and says so in its <see cref="JudgeFormat"/>. Calls are batched so a local model
/// can run a batch in one forward pass; a remote one fans the batch out.
/// </summary>
public interface ISelfRewardingModel
{
    /// <summary>What this model is, stably: a checkpoint's content hash, or a served model's spec.</summary>
    string Id { get; }

    /// <summary>How it is asked to judge: <c>paper</c> (the Figure 2 prompt, verbatim) or a named compact format.</summary>
    string JudgeFormat { get; }

    /// <summary>
    /// <paramref name="samples"/> answers to each prompt, drawn with <paramref name="sampling"/>;
    /// the result is prompt-major (prompt 0's samples first). <paramref name="seed"/> fixes every draw.
    /// </summary>
    Task<IReadOnlyList<string>> AnswerAsync(IReadOnlyList<string> prompts, int samples, SamplingSettings sampling, long seed, CancellationToken cancellationToken);

    /// <summary>One judgement (raw text) of each item, drawn with <paramref name="sampling"/> and <paramref name="seed"/>.</summary>
    Task<IReadOnlyList<string>> JudgeAsync(IReadOnlyList<JudgedItem> items, SamplingSettings sampling, long seed, CancellationToken cancellationToken);
}

/// <summary>A prompt and one response to it, as the judge sees them.</summary>
public sealed record JudgedItem(string Prompt, string Response);

/// <summary>How a model samples: temperature and nucleus (top-p); the paper answers at T = 0.7, p = 0.9.</summary>
public sealed record SamplingSettings(double Temperature, double TopP, int MaxTokens)
{
    /// <summary>The paper's candidate sampling (§2.2): T = 0.7, top-p = 0.9.</summary>
    public static SamplingSettings Paper(int maxTokens) => new(0.7, 0.9, maxTokens);
}
