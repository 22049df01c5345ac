using Microsoft.Extensions.AI;
using Polly;
using Polly.Retry;

namespace Ouroboros.Models;

/// <summary>How <see cref="RetryChatClient"/> retries; validated when the client is built.</summary>
public sealed record ModelRetryOptions
{
    /// <summary>Retries after the first attempt.</summary>
    public int MaxRetries { get; init; } = 6;
    /// <summary>The first backoff; it doubles each retry, with jitter.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>No single wait is longer, whatever a provider's <c>Retry-After</c> says.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(2);
    /// <summary>Seeds the jitter, so that even the waits between retries replay.</summary>
    public int JitterSeed { get; init; }
    /// <summary>Told of each retry (attempt number from 0, the wait, the fault), e.g. to log it.</summary>
    public Action<int, TimeSpan, ModelFaultException>? OnRetry { get; init; }

    public ModelRetryOptions Validate()
    {
        if (MaxRetries < 0) throw new ModelConfigurationException("model retries must be zero or more.");
        if (BaseDelay <= TimeSpan.Zero || MaxDelay < BaseDelay)
            throw new ModelConfigurationException("model retry delays must be positive, the maximum no smaller than the base.");
        return this;
    }
}

/// <summary>
/// Retries transient faults (429, 5xx, timeouts, dropped connections) with exponential backoff and
/// jitter, waiting exactly as long as the provider's <c>Retry-After</c> asks when it does (Polly 8).
/// Permanent faults (a bad request, a malformed body) go straight to the caller.
/// </summary>
public sealed class RetryChatClient : DelegatingChatClient
{
    private readonly ResiliencePipeline _pipeline;

    public RetryChatClient(IChatClient inner, ModelRetryOptions? options = null) : base(inner)
    {
        var o = (options ?? new ModelRetryOptions()).Validate();
        if (o.MaxRetries == 0)
        {
            _pipeline = ResiliencePipeline.Empty;
            return;
        }
        var jitter = new Random(o.JitterSeed);
        _pipeline = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<ModelFaultException>(e => e.IsTransient),
            MaxRetryAttempts = o.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Randomizer = () => { lock (jitter) return jitter.NextDouble(); },
            Delay = o.BaseDelay,
            MaxDelay = o.MaxDelay,
            DelayGenerator = args => ValueTask.FromResult(
                args.Outcome.Exception is ModelFaultException { RetryAfter: { } wait } ? (TimeSpan?)(wait < o.MaxDelay ? wait : o.MaxDelay) : null),
            OnRetry = args =>
            {
                if (args.Outcome.Exception is ModelFaultException fault) o.OnRetry?.Invoke(args.AttemptNumber, args.RetryDelay, fault);
                return ValueTask.CompletedTask;
            },
        }).Build();
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        return await _pipeline.ExecuteAsync(
            async ct => await base.GetResponseAsync(list, options, ct).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        ChatConventions.AsUpdates(GetResponseAsync(messages, options, cancellationToken));
}
