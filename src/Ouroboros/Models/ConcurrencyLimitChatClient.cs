using Microsoft.Extensions.AI;

namespace Ouroboros.Models;

/// <summary>
/// At most a fixed number of requests in flight to the provider: rate limits and local GPU servers
/// both punish bursts, and STOP's improvers fan out freely.
/// </summary>
public sealed class ConcurrencyLimitChatClient : DelegatingChatClient
{
    private readonly SemaphoreSlim _slots;

    public ConcurrencyLimitChatClient(IChatClient inner, int maxConcurrentRequests) : base(inner)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentRequests, 1);
        _slots = new SemaphoreSlim(maxConcurrentRequests, maxConcurrentRequests);
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _slots.Dispose();
        base.Dispose(disposing);
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        ChatConventions.AsUpdates(GetResponseAsync(messages, options, cancellationToken));
}
