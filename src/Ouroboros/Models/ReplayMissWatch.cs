using Microsoft.Extensions.AI;

namespace Ouroboros.Models;

/// <summary>
/// Remembers every request a replay could not answer. Inside an improver a miss is only a failed
/// call; the replay as a whole must still fail loudly, so the host collects them here.
/// </summary>
public sealed class ReplayMissWatch(IChatClient inner) : DelegatingChatClient(inner)
{
    private readonly List<string> _misses = [];

    public IReadOnlyList<string> Misses { get { lock (_misses) return [.. _misses]; } }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        try { return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false); }
        catch (ReplayMissException e)
        {
            lock (_misses) _misses.Add(e.Message);
            throw;
        }
    }
}
