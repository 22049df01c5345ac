using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace Ouroboros.Models;

/// <summary>
/// Numbers the completions of each distinct request: the first request for a prompt gets samples
/// 0..n-1, the next identical one n..2n-1, and so on, so asking the same question twice draws fresh
/// answers. A request with a seed is already a distinct draw (a run's requests carry their
/// position as a seed, <see cref="DrawSeedChatClient"/>; a client of <c>ouro serve-model</c> may send
/// one): it keeps its own numbering from 0, so the answer does not depend on what arrived before it.
/// Only unseeded requests are numbered in arrival order.
/// </summary>
public sealed class SampleIndexingChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    private readonly ConcurrentDictionary<string, long> _drawn = new();

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (options?.Seed is not null) return base.GetResponseAsync(messages, options, cancellationToken);
        var (list, _, hash) = RequestHash.Address(InnerClient, messages, options);
        int n = ChatConventions.Count(options);
        long end = _drawn.AddOrUpdate(hash, n, (_, drawn) => drawn + n);
        return base.GetResponseAsync(list, ChatConventions.Slice(options, n, end - n), cancellationToken);
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        ChatConventions.AsUpdates(GetResponseAsync(messages, options, cancellationToken));
}
