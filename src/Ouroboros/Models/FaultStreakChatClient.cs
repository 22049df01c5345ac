using Microsoft.Extensions.AI;

namespace Ouroboros.Models;

/// <summary>
/// Stops a run whose model has gone away. Counts the model calls that fail, one after another,
/// with a fault that says the model is unavailable (<see cref="ModelFaultException.MeansModelUnavailable"/>:
/// after the retries, so each is a minute of trying or a flat refusal); any call that gets an
/// answer, replayed ones included, ends the streak. At <see cref="Bound"/> in a row it trips:
/// <see cref="Tripped"/> is cancelled, <see cref="Reason"/> says why, and every later call is
/// refused unsent. Budget refusals, replay misses and refusals of one request (a 400) neither
/// count nor end a streak: they say nothing about whether the model is there.
/// <para>
/// Why stop rather than go on: inside an improver a fault is an error the improver sees, so a run
/// whose model is gone would go on scoring improvers that never heard from it, and end
/// <c>finished</c> with zeros. Faulted calls are not recorded, so a resumed run asks them again.
/// </para>
/// </summary>
public sealed class FaultStreakChatClient : DelegatingChatClient
{
    private readonly CancellationTokenSource _trip = new();
    private int _streak;
    private string? _reason;

    /// <param name="bound">Consecutive unavailable-model faults that stop the run; at least 1.</param>
    public FaultStreakChatClient(IChatClient inner, int bound) : base(inner)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bound, 1);
        Bound = bound;
    }

    public int Bound { get; }

    /// <summary>Cancelled when the streak reaches <see cref="Bound"/>: the run frame stops the run on it.</summary>
    public CancellationToken Tripped => _trip.Token;

    /// <summary>Why the run must stop (the streak and its last fault), or null while the model answers.</summary>
    public string? Reason => Volatile.Read(ref _reason);

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (Reason is { } reason) throw new ModelUnavailableException(reason);
        try
        {
            var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _streak, 0);
            return response;
        }
        catch (ModelFaultException e) when (e.MeansModelUnavailable)
        {
            if (Interlocked.Increment(ref _streak) >= Bound && Interlocked.CompareExchange(ref _reason, Describe(e), null) is null)
                _trip.Cancel();
            throw;
        }
    }

    private string Describe(ModelFaultException last) =>
        $"the model failed {Bound} call{(Bound == 1 ? "" : "s")} in a row, the last with {ModelFaults.Name(last.Kind)}: {last.Message}";

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        ChatConventions.AsUpdates(GetResponseAsync(messages, options, cancellationToken));
}

/// <summary>A run stopped because its model kept failing (<see cref="FaultStreakChatClient"/>); the run is <c>failed</c>, with this reason, and resumable.</summary>
public sealed class ModelUnavailableException(string reason) : Exception(reason);
