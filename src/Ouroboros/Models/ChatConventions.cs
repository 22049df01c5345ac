using Microsoft.Extensions.AI;

namespace Ouroboros.Models;

/// <summary>
/// How Ouroboros passes what <see cref="IChatClient"/> has no words for, through
/// <see cref="ChatOptions.AdditionalProperties"/> (explicit per request, unlike an AsyncLocal, so a
/// request carries everything that shaped it):
/// <list type="bullet">
/// <item><c>n</c>: how many completions to draw; the response holds one assistant message per completion, in order.</item>
/// <item><c>ouroboros.first_sample</c>: the sample index of the first completion, so the k-th draw of the same request
/// is reproducible (record/replay keys and the offline mutation model's seed use it).</item>
/// <item><c>ouroboros.caller</c>: the <see cref="ModelCaller"/>, for budgets and the ledger.</item>
/// <item><c>ouroboros.position</c>: where in the run the request is made (<see cref="CallPath"/>); it becomes the
/// request's seed (<see cref="DrawSeedChatClient"/>), so draws are named by position, not arrival.</item>
/// </list>
/// None of these enter the request hash except through the sample index, which is kept apart.
/// </summary>
public static class ChatConventions
{
    public const string CountKey = "n";
    public const string FirstSampleKey = "ouroboros.first_sample";
    public const string CallerKey = "ouroboros.caller";
    public const string PositionKey = "ouroboros.position";
    /// <summary>Set on a request whose answers are prose (an agent's turn, a grade), not code: an answer without a code block is then no fault.</summary>
    public const string ProseKey = "ouroboros.prose";

    /// <summary>Whether the request's answers should carry code (every request unless marked <see cref="ProseKey"/>).</summary>
    public static bool ExpectsCode(ChatOptions? options) => options?.AdditionalProperties?.ContainsKey(ProseKey) != true;

    /// <summary>The request's logical position in its run, or null for a request made outside any (a served model's, a test's).</summary>
    public static string? Position(ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(PositionKey, out var v) == true ? v as string : null;

    /// <summary>How many completions the request asks for (1 when unset).</summary>
    public static int Count(ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(CountKey, out var v) == true ? Math.Max(1, Convert.ToInt32(v)) : 1;

    /// <summary>The sample index of the request's first completion (0 when unset).</summary>
    public static long FirstSample(ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(FirstSampleKey, out var v) == true ? Convert.ToInt64(v) : 0;

    /// <summary>Who is calling, or <see cref="ModelCaller.Host"/> when unset.</summary>
    public static ModelCaller Caller(ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(CallerKey, out var v) == true && v is ModelCaller c ? c : ModelCaller.Host;

    /// <summary>A copy of <paramref name="options"/> with one convention set.</summary>
    public static ChatOptions With(ChatOptions? options, string key, object value)
    {
        var copy = options?.Clone() ?? new ChatOptions();
        copy.AdditionalProperties = copy.AdditionalProperties is null ? new() : new(copy.AdditionalProperties);
        copy.AdditionalProperties[key] = value;
        return copy;
    }

    /// <summary>Options for <paramref name="count"/> completions, samples from <paramref name="firstSample"/> on.</summary>
    public static ChatOptions Slice(ChatOptions? options, int count, long firstSample) =>
        With(With(options, CountKey, count), FirstSampleKey, firstSample);

    /// <summary>The completions' texts, one per assistant message.</summary>
    public static IReadOnlyList<string> Texts(ChatResponse response) =>
        response.Messages.Where(m => m.Role == ChatRole.Assistant).Select(m => m.Text).ToList();

    /// <summary>One response holding the given completions as separate assistant messages.</summary>
    public static ChatResponse Response(IEnumerable<string> completions, string? modelId, UsageDetails? usage = null) =>
        new(completions.Select(c => new ChatMessage(ChatRole.Assistant, c)).ToList()) { ModelId = modelId, Usage = usage };

    /// <summary>Marks a response as answered from the recording, not by the provider (the ledger counts it apart).</summary>
    public static ChatResponse Replayed(ChatResponse response)
    {
        response.AdditionalProperties ??= [];
        response.AdditionalProperties[ReplayedKey] = true;
        return response;
    }

    /// <summary>True when the response came from the recording.</summary>
    public static bool IsReplayed(ChatResponse response) => response.AdditionalProperties?.ContainsKey(ReplayedKey) == true;

    public const string ReplayedKey = "ouroboros.replayed";

    /// <summary>
    /// Gives a response the usage a model that counts no tokens would have reported: the prompt's and
    /// each completion's characters over four (<see cref="ModelBudget.EstimateTokens"/>), marked as
    /// estimated so the ledger and the report say so, and token budgets still work.
    /// </summary>
    public static ChatResponse WithEstimatedUsage(ChatResponse response, IEnumerable<ChatMessage> prompt)
    {
        long input = ModelBudget.EstimateTokens(prompt), output = ModelBudget.EstimateTokens(response.Messages);
        response.Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output };
        response.AdditionalProperties ??= [];
        response.AdditionalProperties[TokensEstimatedKey] = true;
        return response;
    }

    /// <summary>True when the response's token counts are estimates, not a provider's count.</summary>
    public static bool TokensEstimated(ChatResponse response) => response.AdditionalProperties?.ContainsKey(TokensEstimatedKey) == true;

    public const string TokensEstimatedKey = "ouroboros.tokensEstimated";

    /// <summary>The text of the last user message: what a mutation model or a stub answers to.</summary>
    public static string LastUserText(IEnumerable<ChatMessage> messages) =>
        messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? "";

    /// <summary>
    /// Streaming served as one whole response: every Ouroboros middleware does this, so a streaming
    /// call cannot slip past the budget or the ledger.
    /// </summary>
    public static async IAsyncEnumerable<ChatResponseUpdate> AsUpdates(Task<ChatResponse> response)
    {
        foreach (var update in (await response.ConfigureAwait(false)).ToChatResponseUpdates()) yield return update;
    }
}
