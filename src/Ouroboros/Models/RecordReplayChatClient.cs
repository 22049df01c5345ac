using Microsoft.Extensions.AI;
using Ouroboros.Store;

namespace Ouroboros.Models;

/// <summary>Whether <see cref="RecordReplayChatClient"/> stores what the model says or answers from the store alone.</summary>
public enum RecordReplayMode { Record, Replay }

/// <summary>
/// Record/replay. In <see cref="RecordReplayMode.Record"/> every completion is stored under
/// (request hash, sample index) and a completion already recorded is answered from the store (so a
/// resumed run repeats no call); in <see cref="RecordReplayMode.Replay"/> the provider is never
/// called and a request the store cannot answer throws <see cref="ReplayMissException"/>, so a
/// replayed run either re-executes exactly or stops loudly. Sample indices come from
/// <see cref="SampleIndexingChatClient"/>, which must sit outside this client. A replay miss for a
/// request whose call failed in the original (<c>originalFault</c>: the original ledger's outcome for
/// the request hash) raises that fault again, marked <see cref="ModelFaultException.FromOriginal"/>:
/// the program sees what it saw then, and the replay knows the miss is not a divergence. A completion longer
/// than <see cref="StoreLimits.CompletionBytes"/> is cut (<see cref="StoredText.Bound"/>) before it
/// is stored and returned, so the run and its replay see the same text.
/// </summary>
public sealed class RecordReplayChatClient(IChatClient inner, IResponseRecording responses, RecordReplayMode mode, StoreLimits? limits = null,
    Func<string, ModelFaultKind?>? originalFault = null) : DelegatingChatClient(inner)
{
    private readonly int _completionBytes = (limits ?? StoreLimits.Default).CompletionBytes;

    public RecordReplayMode Mode => mode;

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (list, model, hash) = RequestHash.Address(InnerClient, messages, options);
        long first = ChatConventions.FirstSample(options);
        int n = ChatConventions.Count(options);
        if (mode == RecordReplayMode.Replay)
        {
            var completions = new List<string>(n);
            for (long i = first; i < first + n; i++)
                completions.Add(responses.Get(hash, i) ?? throw Miss(model, hash, i));
            return ChatConventions.Replayed(ChatConventions.Response(completions, model));
        }
        // A resumed run asks again what it asked before it was stopped: answer from the recording.
        var recorded = new List<string>(n);
        for (long i = first; i < first + n && responses.Get(hash, i) is { } text; i++) recorded.Add(text);
        if (recorded.Count == n) return ChatConventions.Replayed(ChatConventions.Response(recorded, model));
        var response = await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
        var texts = ChatConventions.Texts(response);
        var bounded = texts.Select(t => StoredText.Bound(t, _completionBytes)).ToList();
        for (int i = 0; i < bounded.Count; i++) responses.Put(hash, first + i, model, bounded[i]);
        if (bounded.SequenceEqual(texts)) return response;
        return ChatConventions.Response(bounded, response.ModelId, response.Usage);
    }

    private Exception Miss(string model, string hash, long sample) => originalFault?.Invoke(hash) is { } kind
        ? new ModelFaultException(kind, $"replay: the original run's call to {model} for request {hash[..12]} failed ({ModelFaults.Name(kind)}); nothing was recorded, so it fails again.") { FromOriginal = true }
        : new ReplayMissException(model, hash, sample);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        ChatConventions.AsUpdates(GetResponseAsync(messages, options, cancellationToken));
}

/// <summary>Replay met a request that was never recorded: the replayed run has diverged from the recorded one.</summary>
public sealed class ReplayMissException(string model, string requestHash, long sampleIndex) : Exception(
    $"replay: no recorded response from {model} for request {requestHash[..12]} sample {sampleIndex}; this run asked something the recorded run did not, so it does not reproduce it.")
{
    public string RequestHash { get; } = requestHash;
    public long SampleIndex { get; } = sampleIndex;
}
