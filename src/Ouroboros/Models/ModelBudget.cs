namespace Ouroboros.Models;

/// <summary>
/// What one recursion level of a run may spend on the model; a null limit is unlimited. Validated
/// when built, so a bad budget fails before the run starts.
/// </summary>
public sealed record ModelBudget
{
    public long? MaxCalls { get; init; }
    public long? MaxCompletions { get; init; }
    /// <summary>Input plus output tokens, as the provider reports them.</summary>
    public long? MaxTokens { get; init; }
    /// <summary>US dollars; needs a <see cref="ModelPrice"/>.</summary>
    public double? MaxCostUsd { get; init; }

    public static readonly ModelBudget Unlimited = new();

    /// <summary>
    /// What a recursion level may spend unless configured otherwise: 10 M tokens. An honest default
    /// <c>ouro stop</c> spends about 1 M per level (some 110 improver runs of one call, ≈ 2 k prompt
    /// and 6 × 1 k completion tokens each); a hostile improver sent 48 M prompt tokens in one run.
    /// </summary>
    public static readonly ModelBudget DefaultPerLevel = new() { MaxTokens = 10_000_000 };

    /// <summary>A prompt's tokens before the provider counts them: one per four characters, rounded up (English and code average three to four).</summary>
    public static long EstimateTokens(IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages) =>
        (messages.Sum(m => (long)(m.Text?.Length ?? 0)) + 3) / 4;

    /// <summary>Throws <see cref="ModelConfigurationException"/> for negative limits or a money cap without a price.</summary>
    public ModelBudget Validate(ModelPrice? price)
    {
        if (MaxCalls < 0 || MaxCompletions < 0 || MaxTokens < 0 || MaxCostUsd < 0)
            throw new ModelConfigurationException("model budget limits must be zero or more.");
        if (MaxCostUsd is not null && price is null)
            throw new ModelConfigurationException("a money cap needs the model's price per million tokens; configure one or drop the cap.");
        return this;
    }
}

/// <summary>What one recursion level has spent so far.</summary>
public sealed record ModelSpend(long Calls, long Completions, long Tokens, double CostUsd);

/// <summary>A recursion level spent its model budget: no more calls at that level.</summary>
public sealed class ModelBudgetExhaustedException(int level, string limit, string message) : Exception(message)
{
    public int Level { get; } = level;
    /// <summary>Which limit ran out: <c>calls</c>, <c>completions</c>, <c>tokens</c> or <c>cost</c>.</summary>
    public string Limit { get; } = limit;
}
