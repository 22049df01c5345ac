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
/// Permanent faults (a bad request, a malformed body) go straight to the caller. Each fault that is
/// retried is told to <c>onRetried</c> with its request (the pipeline writes it to the ledger as
/// <c>retried:&lt;kind&gt;</c>), so a fault the retry hid is still seen in the report.
/// </summary>
public sealed class RetryChatClient : DelegatingChatClient
{
    private readonly ResiliencePipeline _pipeline;

    private static readonly ResiliencePropertyKey<RetriedRequest> RequestKey = new("ouroboros.request");
    private readonly Action<RetriedRequest, ModelFaultException>? _onRetried;

    /// <param name="onRetried">Told of each fault that is about to be retried, with the request it struck.</param>
    public RetryChatClient(IChatClient inner, ModelRetryOptions? options = null, Action<RetriedRequest, ModelFaultException>? onRetried = null) : base(inner)
    {
        _onRetried = onRetried;
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
                if (args.Outcome.Exception is not ModelFaultException fault) return ValueTask.CompletedTask;
                o.OnRetry?.Invoke(args.AttemptNumber, args.RetryDelay, fault);
                if (args.Context.Properties.TryGetValue(RequestKey, out var request)) _onRetried?.Invoke(request, fault);
                return ValueTask.CompletedTask;
            },
        }).Build();
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RequestKey, new RetriedRequest(list, options));
        try
        {
            return await _pipeline.ExecuteAsync(
                async ctx => await base.GetResponseAsync(list, options, ctx.CancellationToken).ConfigureAwait(false),
                context).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        ChatConventions.AsUpdates(GetResponseAsync(messages, options, cancellationToken));
}

/// <summary>The request a retried fault struck, as <see cref="RetryChatClient"/> reports it.</summary>
public sealed record RetriedRequest(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options);
