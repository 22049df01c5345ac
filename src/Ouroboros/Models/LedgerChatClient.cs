using System.Diagnostics;
using Microsoft.Extensions.AI;
using Ouroboros.Contracts;
using Ouroboros.Store;

namespace Ouroboros.Models;

/// <summary>
/// Writes every model call to the run store's ledger: model, request hash, completions asked for,
/// caller (recursion level and program hash), tokens, latency, cost where priced, and how it ended.
/// A fault is recorded and rethrown; completions without a code block are recorded as
/// <c>no_code_block</c> and still returned, since the caller decides what to do with them.
/// </summary>
public sealed class LedgerChatClient(IChatClient inner, IModelLedger log, ModelPrice? price = null) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (list, model, hash) = RequestHash.Address(InnerClient, messages, options);
        var caller = ChatConventions.Caller(options);
        int n = ChatConventions.Count(options);
        var clock = Stopwatch.StartNew();
        void Record(UsageDetails? usage, string outcome, string? detail, bool estimated = false) => log.Add(new ModelCallRecord(
            DateTimeOffset.UtcNow, model, hash, n, caller.Level, caller.ProgramHash,
            usage?.InputTokenCount, usage?.OutputTokenCount, clock.Elapsed.TotalMilliseconds, price?.Cost(usage), outcome,
            estimated ? (detail is null ? TokensEstimated : $"{detail}; {TokensEstimated}") : detail, ChatConventions.Position(options)));
        try
        {
            var response = await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
            var texts = ChatConventions.Texts(response);
            int withoutCode = ChatConventions.ExpectsCode(options) ? texts.Count(t => CodeBlocks.All(t).Count == 0) : 0;
            if (ChatConventions.IsReplayed(response)) Record(response.Usage, Replayed, "answered from the recorded run; the provider was not called");
            else if (withoutCode > 0) Record(response.Usage, ModelFaults.Name(ModelFaultKind.NoCodeBlock), $"{withoutCode} of {texts.Count} completions had no fenced code block", ChatConventions.TokensEstimated(response));
            else Record(response.Usage, ModelFaults.Ok, null, ChatConventions.TokensEstimated(response));
            return response;
        }
        catch (ModelFaultException e)
        {
            Record(null, ModelFaults.Name(e.Kind), e.Message);
            throw;
        }
    }

    /// <summary>What a call's detail says when its token counts are estimates (the offline model counts none); the report labels them so.</summary>
    public const string TokensEstimated = "tokens estimated: one per four characters, the model counts none";

    /// <summary>The outcome of a call answered from the recording; totals leave these out.</summary>
    public const string Replayed = "replayed";

    /// <summary>The prefix of a row for a fault the retry hid (<c>retried:server_error</c>): not a call of its own, so totals leave these out.</summary>
    public const string RetriedPrefix = "retried:";

    /// <summary>Whether a ledger outcome is a call of its own (not a retried fault's row), which call counts include.</summary>
    public static bool IsCall(string outcome) => !outcome.StartsWith(RetriedPrefix, StringComparison.Ordinal);

    /// <summary>
    /// What <see cref="RetryChatClient"/> is told of each retried fault, writing it to <paramref name="log"/>
    /// as a <c>retried:&lt;kind&gt;</c> row under the request's hash, caller and position.
    /// </summary>
    public static Action<RetriedRequest, ModelFaultException> RetriedFaults(IChatClient provider, IModelLedger log) => (request, fault) =>
    {
        var (_, model, hash) = RequestHash.Address(provider, request.Messages, request.Options);
        var caller = ChatConventions.Caller(request.Options);
        log.Add(new ModelCallRecord(DateTimeOffset.UtcNow, model, hash, ChatConventions.Count(request.Options), caller.Level, caller.ProgramHash,
            null, null, 0, null, RetriedPrefix + ModelFaults.Name(fault.Kind), fault.Message, ChatConventions.Position(request.Options)));
    };

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        ChatConventions.AsUpdates(GetResponseAsync(messages, options, cancellationToken));
}
