using Microsoft.Extensions.AI;
using Ouroboros.Models;

namespace Ouroboros.Runs;

/// <summary>
/// Counts the model calls of a run and the completions that arrived, replayed ones included, so a
/// resumed run counts what the uninterrupted one did. An experiment reads these counts (the best-of-N
/// baseline spends what the loop spent); the progress display is told them too, and only watches.
/// </summary>
public sealed class ModelMeter(IChatClient inner, RunProgress progress) : DelegatingChatClient(inner)
{
    private long _calls, _completions;

    public long Calls => Interlocked.Read(ref _calls);
    public long Completions => Interlocked.Read(ref _completions);

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        int arrived = ChatConventions.Texts(response).Count;
        Interlocked.Increment(ref _calls);
        Interlocked.Add(ref _completions, arrived);
        progress.ModelAnswered(arrived);
        return response;
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        ChatConventions.AsUpdates(GetResponseAsync(messages, options, cancellationToken));
}
