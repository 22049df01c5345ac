namespace Ouroboros.Models;

/// <summary>
/// How much text one improver run may send its model. The call budget counts calls (STOP's 4), not
/// their size: within "4 calls" one red-team improver sent 24 requests carrying 192 MB, about 48 M
/// prompt tokens. Sizes are counted in characters of the prompt as sent (system plus user message,
/// once per distinct request, since identical messages go out as one request), about four to a token.
/// </summary>
public sealed record PromptLimits
{
    /// <summary>
    /// Characters of one request's prompt: 100,000 (≈ 25 k tokens). The seed improver's prompt is
    /// about 3,000; an improver improving itself sends its own source and û's description, about 10,000.
    /// </summary>
    public int MaxRequestChars { get; init; } = 100_000;

    /// <summary>Characters of all the prompts of one improver run: 400,000 (≈ 100 k tokens), four full-size requests.</summary>
    public long MaxRunChars { get; init; } = 400_000;

    public static PromptLimits Default { get; } = new();

    /// <summary>Throws <see cref="ModelConfigurationException"/> for limits below one character, or a run limit below a request's.</summary>
    public PromptLimits Validate()
    {
        if (MaxRequestChars < 1 || MaxRunChars < MaxRequestChars)
            throw new ModelConfigurationException("prompt limits must be at least one character, and a run's at least one request's.");
        return this;
    }
}
