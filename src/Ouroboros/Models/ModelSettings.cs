namespace Ouroboros.Models;

/// <summary>
/// Everything that decides how a run talks to its model, in one immutable record; the lead's run
/// configuration fills it and <see cref="ModelPipeline.Build"/> validates it before the run starts.
/// </summary>
public sealed record ModelSettings
{
    public required ModelSpec Spec { get; init; }
    /// <summary>The environment variable holding the key, when not the provider's default.</summary>
    public string? KeyVariable { get; init; }
    /// <summary>Dollars per million tokens; enables the cost column and the money cap.</summary>
    public ModelPrice? Price { get; init; }
    /// <summary>The budget of each recursion level; <see cref="ModelBudget.DefaultPerLevel"/> (10 M tokens) unless set.</summary>
    public Func<int, ModelBudget> BudgetFor { get; init; } = _ => ModelBudget.DefaultPerLevel;
    /// <summary>Most dollars the whole run may spend, over all levels; needs <see cref="Price"/>.</summary>
    public double? MaxCostUsd { get; init; }
    public int MaxConcurrentRequests { get; init; } = 4;
    public ModelRetryOptions Retry { get; init; } = new();
    public ProviderOptions Provider { get; init; } = new();
    /// <summary>Record every completion (the default) or answer only from the store (<c>--replay</c>).</summary>
    public RecordReplayMode RecordReplay { get; init; } = RecordReplayMode.Record;
    /// <summary>The run whose ledger and recorded responses these are; empty outside a run.</summary>
    public string RunId { get; init; } = "";
    /// <summary>The run whose recorded responses answer this one (a replay reads another run's recording); by default <see cref="RunId"/>.</summary>
    public string? ResponsesFrom { get; init; }
    /// <summary>The scripted policies an experiment offers for <c>scripted:NAME</c> (null: none; the spec is refused).</summary>
    public Func<ModelSpec, Microsoft.Extensions.AI.IChatClient?>? Scripts { get; init; }
    /// <summary>The run's seed: the offline mutation model's, and the retry jitter's.</summary>
    public ulong Seed { get; init; }
}
