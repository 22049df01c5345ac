using Microsoft.Extensions.AI;
using Ouroboros.Store;

namespace Ouroboros.Models;

/// <summary>
/// Builds the model a run uses, as a pipeline of small clients, outermost first:
/// draw seed → budget → ledger → sample numbering → record/replay → concurrency limit → retry → provider.
/// The draw seed names each positioned request by its place in the run, before anything hashes it;
/// the budget refuses before anything is spent or logged; the ledger sees replayed calls too;
/// numbering must precede record/replay, whose keys use it; a retry waits inside its concurrency
/// slot, so a rate-limited provider is not hit by the others meanwhile. The retry writes each fault
/// it hides to the ledger too (<c>retried:&lt;kind&gt;</c>), so no fault goes unrecorded.
/// </summary>
public static class ModelPipeline
{
    /// <summary>
    /// The pipeline for <paramref name="settings"/>, recording into <paramref name="store"/>. Fails
    /// with <see cref="ModelConfigurationException"/> before the run starts: a missing key, a bad
    /// budget or retry option. Replay needs no key.
    /// </summary>
    public static IChatClient Build(ModelSettings settings, IRunStore store, Func<string, string?>? environment = null)
    {
        var provider = settings.RecordReplay == RecordReplayMode.Replay
            ? new ReplayOnlyChatClient(settings.Spec)
            : Provider(settings.Spec, ApiKeys.Resolve(settings.Spec, settings.KeyVariable, environment), settings.Provider, settings.Seed, settings.Scripts);
        var ledger = store.Ledger(settings.RunId);
        IChatClient client = new RetryChatClient(provider, settings.Retry with { JitterSeed = unchecked((int)settings.Seed) },
            LedgerChatClient.RetriedFaults(provider, ledger));
        client = new ConcurrencyLimitChatClient(client, settings.MaxConcurrentRequests);
        var recorded = settings.ResponsesFrom ?? settings.RunId;
        client = new RecordReplayChatClient(client, store.Recording(recorded), settings.RecordReplay,
            originalFault: settings.RecordReplay == RecordReplayMode.Replay ? OriginalFaults(store.Ledger(recorded)) : null);
        client = new SampleIndexingChatClient(client);
        client = new LedgerChatClient(client, ledger, settings.Price);
        client = new BudgetChatClient(client, settings.BudgetFor, settings.Price, settings.MaxCostUsd);
        return new DrawSeedChatClient(client, settings.Seed);
    }

    /// <summary>
    /// Which requests' calls failed in the recorded run, by request hash: the last failed call's kind
    /// (read once, when the first miss asks). A later successful call of the same request was
    /// recorded, so a replay asking it finds it and never asks here.
    /// </summary>
    private static Func<string, ModelFaultKind?> OriginalFaults(IModelLedger ledger)
    {
        var failed = new Lazy<Dictionary<string, ModelFaultKind>>(() =>
        {
            var map = new Dictionary<string, ModelFaultKind>();
            foreach (var r in ledger.All())
                if (LedgerChatClient.IsCall(r.Outcome) && ModelFaults.Parse(r.Outcome) is { } kind && kind != ModelFaultKind.NoCodeBlock) map[r.RequestHash] = kind;
            return map;
        });
        return hash => failed.Value.TryGetValue(hash, out var kind) ? kind : null;
    }

    /// <summary>The bare provider for a spec: what <c>ouro serve-model</c> serves.</summary>
    public static IChatClient Provider(ModelSpec spec, string? key, ProviderOptions? options = null, ulong seed = 0, Func<ModelSpec, IChatClient?>? scripts = null) => spec.Provider switch
    {
        ModelProvider.Offline => new OfflineMutationModel(seed),
        ModelProvider.Scripted => scripts?.Invoke(spec)
            ?? throw new ModelConfigurationException($"there is no scripted policy '{spec.Model}' here; scripted policies play ouro tamper's environments (see ouro tamper --list)."),
        ModelProvider.OpenAI => new OpenAICompatibleChatClient(spec, key ?? throw new ModelConfigurationException($"{spec} needs an API key."), options),
        _ => new AnthropicChatClient(spec, key ?? throw new ModelConfigurationException($"{spec} needs an API key."), options),
    };

    /// <summary>What every provider client reports about itself: the spec is the model's identity in hashes and the ledger.</summary>
    public static ChatClientMetadata Metadata(ModelSpec spec) => spec.Provider switch
    {
        ModelProvider.Offline => new ChatClientMetadata("offline", null, ModelSpec.OfflineModelName),
        ModelProvider.Scripted => new ChatClientMetadata("scripted", null, spec.ToString()),
        ModelProvider.OpenAI => new ChatClientMetadata("openai", spec.BaseUrl ?? new Uri("https://api.openai.com/v1"), spec.ToString()),
        _ => new ChatClientMetadata("anthropic", new Uri("https://api.anthropic.com"), spec.ToString()),
    };
}
