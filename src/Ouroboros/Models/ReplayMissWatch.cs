using Microsoft.Extensions.AI;

namespace Ouroboros.Models;

/// <summary>
/// Remembers every request a replay could not answer. Inside an improver a miss is only a failed
/// call; the replay as a whole must still fail loudly, so the host collects them here. Calls that
/// failed in the original, and so fail again in the replay, are collected apart (<see cref="OriginalFailures"/>).
/// </summary>
public sealed class ReplayMissWatch(IChatClient inner) : DelegatingChatClient(inner)
{
    private readonly List<string> _misses = [];

    private readonly List<string> _originalFailures = [];

    public IReadOnlyList<string> Misses { get { lock (_misses) return [.. _misses]; } }

    /// <summary>Calls the replay could not answer because the original's call failed: not a divergence, a failure to reproduce.</summary>
    public IReadOnlyList<string> OriginalFailures { get { lock (_misses) return [.. _originalFailures]; } }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        try { return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false); }
        catch (ReplayMissException e)
        {
            lock (_misses) _misses.Add(e.Message);
            throw;
        }
        catch (ModelFaultException e) when (e.FromOriginal)
        {
            lock (_misses) _originalFailures.Add(e.Message);
            throw;
        }
    }
}
