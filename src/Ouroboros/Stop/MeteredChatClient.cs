using Microsoft.Extensions.AI;

namespace Ouroboros.Stop;

/// <summary>Counts model calls for the progress display; the ledger in the store is the record.</summary>
internal sealed class MeteredChatClient(IChatClient inner, RunProgress progress) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        progress.ModelCalled(Models.ChatConventions.Count(options));
        return base.GetResponseAsync(messages, options, cancellationToken);
    }
}
