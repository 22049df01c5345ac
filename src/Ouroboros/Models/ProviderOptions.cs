namespace Ouroboros.Models;

/// <summary>
/// How a provider client talks to its server; validated when the client is built. The defaults
/// match STOP (1024 tokens per completion).
/// </summary>
public sealed record ProviderOptions
{
    /// <summary>How long one HTTP request may take before it counts as a timeout fault.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(3);
    /// <summary>Completion length when the request does not set one.</summary>
    public int DefaultMaxTokens { get; init; } = 1024;
    /// <summary>
    /// Whether an OpenAI-compatible server honours <c>n</c>: true or false to say so, null to find
    /// out from the first request that asks for several (see <see cref="OpenAICompatibleChatClient"/>).
    /// </summary>
    public bool? SupportsN { get; init; }

    public ProviderOptions Validate()
    {
        if (RequestTimeout <= TimeSpan.Zero) throw new ModelConfigurationException("the model request timeout must be positive.");
        if (DefaultMaxTokens < 1) throw new ModelConfigurationException("the default completion length must be at least one token.");
        return this;
    }
}
