using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace Ouroboros.Models;

/// <summary>
/// Numbers the completions of each distinct request within a run: the first request for a prompt
/// gets samples 0..n-1, the next identical one n..2n-1, and so on. Record/replay keys and the
/// offline mutation model's seed use these numbers, so asking the same question twice draws fresh
/// answers, yet a replay (which asks in the same order) gets exactly the recorded ones.
/// </summary>
public sealed class SampleIndexingChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    private readonly ConcurrentDictionary<string, long> _drawn = new();

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (list, _, hash) = RequestHash.Address(InnerClient, messages, options);
        int n = ChatConventions.Count(options);
        long end = _drawn.AddOrUpdate(hash, n, (_, drawn) => drawn + n);
        return base.GetResponseAsync(list, ChatConventions.Slice(options, n, end - n), cancellationToken);
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        ChatConventions.AsUpdates(GetResponseAsync(messages, options, cancellationToken));
}
