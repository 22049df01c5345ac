using Microsoft.Extensions.AI;

namespace Ouroboros.Models;

/// <summary>
/// Enforces a <see cref="ModelBudget"/> per recursion level (from the caller in the request).
/// Calls, completions and the prompt's estimated tokens (<see cref="ModelBudget.EstimateTokens"/>)
/// are reserved before the request goes out, so concurrent calls cannot overshoot, nor one huge
/// prompt slip under a token budget not yet reached; the provider's count replaces the estimate
/// when it answers. Output tokens and cost are only known afterwards, so those limits stop the next
/// call once reached. Past a limit it throws <see cref="ModelBudgetExhaustedException"/>. Besides the
/// levels' budgets, an optional money cap bounds the whole run, over all levels.
/// </summary>
public sealed class BudgetChatClient : DelegatingChatClient
{
    private readonly Func<int, ModelBudget> _budgetFor;
    private readonly ModelPrice? _price;
    private readonly double? _maxCostUsd;
    private double _costUsd;
    private readonly Dictionary<int, ModelSpend> _spent = [];
    private readonly Lock _gate = new();

    /// <param name="budgetFor">The budget of each recursion level; validated on first use of a level.</param>
    /// <param name="maxCostUsd">Most dollars the whole run may spend; needs <paramref name="price"/>.</param>
    public BudgetChatClient(IChatClient inner, Func<int, ModelBudget> budgetFor, ModelPrice? price = null, double? maxCostUsd = null) : base(inner)
    {
        _budgetFor = budgetFor;
        _price = price;
        _maxCostUsd = maxCostUsd;
        budgetFor(0).Validate(price);
        new ModelBudget { MaxCostUsd = maxCostUsd }.Validate(price);
    }

    /// <summary>The dollars the run has spent so far, over all levels (0 when unpriced).</summary>
    public double CostUsd
    {
        get { lock (_gate) return _costUsd; }
    }

    /// <summary>What <paramref name="level"/> has spent so far.</summary>
    public ModelSpend Spent(int level)
    {
        lock (_gate) return _spent.GetValueOrDefault(level, new ModelSpend(0, 0, 0, 0));
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        int level = ChatConventions.Caller(options).Level;
        int n = ChatConventions.Count(options);
        var sent = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        long estimate = ModelBudget.EstimateTokens(sent);
        Reserve(level, n, estimate);
        var response = await base.GetResponseAsync(sent, options, cancellationToken).ConfigureAwait(false);
        // The provider's input count replaces the estimate reserved for it; without one, the estimate stays.
        long tokens = (response.Usage?.InputTokenCount ?? estimate) - estimate + (response.Usage?.OutputTokenCount ?? 0);
        double cost = _price?.Cost(response.Usage) ?? 0;
        lock (_gate)
        {
            var s = _spent[level];
            _spent[level] = s with { Tokens = s.Tokens + tokens, CostUsd = s.CostUsd + cost };
            _costUsd += cost;
        }
        return response;
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        ChatConventions.AsUpdates(GetResponseAsync(messages, options, cancellationToken));

    private void Reserve(int level, int n, long promptTokens)
    {
        var budget = _budgetFor(level).Validate(_price);
        lock (_gate)
        {
            var s = _spent.GetValueOrDefault(level, new ModelSpend(0, 0, 0, 0));
            if (s.Calls + 1 > budget.MaxCalls) throw Exhausted(level, "calls", $"{budget.MaxCalls} calls");
            if (s.Completions + n > budget.MaxCompletions)
                throw Exhausted(level, "completions", $"{budget.MaxCompletions} completions ({s.Completions} used, {n} asked)");
            if (s.Tokens + promptTokens > budget.MaxTokens)
                throw Exhausted(level, "tokens", $"{budget.MaxTokens} tokens ({s.Tokens} used, about {promptTokens} in this prompt)");
            if (s.CostUsd >= budget.MaxCostUsd) throw Exhausted(level, "cost", $"${budget.MaxCostUsd:0.####}");
            if (_costUsd >= _maxCostUsd)
                throw new ModelBudgetExhaustedException(level, "cost", $"the run's money cap is spent: ${_costUsd:0.####} of ${_maxCostUsd:0.####} (maxCostUsd); no more model calls.");
            _spent[level] = s with { Calls = s.Calls + 1, Completions = s.Completions + n, Tokens = s.Tokens + promptTokens };
        }
    }

    private static ModelBudgetExhaustedException Exhausted(int level, string limit, string what) =>
        new(level, limit, $"model budget exhausted at recursion level {level}: it has spent its {what}.");
}
