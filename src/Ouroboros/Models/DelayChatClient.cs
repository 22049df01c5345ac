using Microsoft.Extensions.AI;

namespace Ouroboros.Models;

/// <summary>
/// Answers every request a fixed time late: <c>ouro serve-model --latency-ms</c>, so a run can be
/// tried against a model as slow as a hosted one (2–30 s a request) without one, and its wall time
/// seen to follow its critical path rather than its call count.
/// </summary>
public sealed class DelayChatClient(IChatClient inner, TimeSpan delay) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        ChatConventions.AsUpdates(GetResponseAsync(messages, options, cancellationToken));
}
