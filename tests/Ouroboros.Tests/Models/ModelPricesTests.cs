using Ouroboros.Models;
using Ouroboros.Store;

namespace Ouroboros.Tests.Models;

public class ModelPricesTests
{
    private static ModelPrice? For(string spec, IReadOnlyDictionary<string, ModelPrice>? overrides = null) => ModelPrices.For(ModelSpec.Parse(spec), overrides);

    [Fact]
    public void Common_models_are_priced_dated_snapshots_as_their_model()
    {
        Assert.Equal(new ModelPrice(2.50, 10.00), For("openai:gpt-4o"));
        Assert.Equal(new ModelPrice(2.50, 10.00), For("openai:gpt-4o-2024-08-06"));
        Assert.Equal(new ModelPrice(3.00, 15.00), For("anthropic:claude-sonnet-4-5"));
        Assert.Equal(new ModelPrice(3.00, 15.00), For("anthropic:claude-sonnet-4-5-20250929"));
        Assert.Equal(ModelPrices.Free, For("offline"));
    }

    [Fact]
    public void Unknown_models_and_own_servers_are_unpriced()
    {
        Assert.Null(For("openai:gpt-4o-audio-preview"));
        Assert.Null(For("anthropic:claude-unknown"));
        Assert.Null(For("openai:http://127.0.0.1:8000/v1#gpt-4o"));
    }

    [Fact]
    public void The_configuration_overrides_by_spec_or_by_name()
    {
        var bySpec = new Dictionary<string, ModelPrice> { ["openai:gpt-4o"] = new(1, 2) };
        var byName = new Dictionary<string, ModelPrice> { ["qwen2.5-coder"] = new(0.1, 0.2) };
        Assert.Equal(new ModelPrice(1, 2), For("openai:gpt-4o", bySpec));
        Assert.Equal(new ModelPrice(0.4, 1.6), For("openai:gpt-4.1-mini", bySpec));
        Assert.Equal(new ModelPrice(0.1, 0.2), For("openai:http://127.0.0.1:8000/v1#qwen2.5-coder", byName));
    }

    [Fact]
    public async Task The_run_money_cap_refuses_the_next_call_past_it_over_all_levels()
    {
        // 400 in at $10/M + 600 out at $30/M = $0.022 per call; levels' own budgets are unlimited.
        var inner = ScriptedChatClient.Fenced(tokensIn: 400, tokensOut: 600);
        var money = new BudgetChatClient(inner, _ => ModelBudget.Unlimited, new ModelPrice(10, 30), maxCostUsd: 0.04);
        await money.GetResponseAsync(Chat.Ask("a"), Chat.Options(level: 0));
        await money.GetResponseAsync(Chat.Ask("b"), Chat.Options(level: 1));
        var e = await Assert.ThrowsAsync<ModelBudgetExhaustedException>(() => money.GetResponseAsync(Chat.Ask("c"), Chat.Options(level: 2)));

        Assert.Equal("cost", e.Limit);
        Assert.Contains("money cap", e.Message);
        Assert.Equal(0.044, money.CostUsd, 9);
        Assert.Equal(2, inner.Calls);
        Assert.Throws<ModelConfigurationException>(() => new BudgetChatClient(inner, _ => ModelBudget.Unlimited, null, maxCostUsd: 1));
    }

    [Fact]
    public async Task Offline_tokens_are_estimated_and_the_ledger_says_so()
    {
        using var store = RunStore.InMemory();
        var log = new ModelCallLog(store);
        var ledger = new LedgerChatClient(new OfflineMutationModel(seed: 3), log, ModelPrices.Free);

        await ledger.GetResponseAsync(Chat.Ask("Improve:\n```csharp\npublic static class P { public static int F(int x) => x + 1; }\n```"), Chat.Options(n: 2));

        var row = Assert.Single(log.All());
        Assert.True(row.TokensIn > 10);
        Assert.True(row.TokensOut > 10);
        Assert.Equal(0, row.CostUsd);
        Assert.Contains(LedgerChatClient.TokensEstimated, row.Detail);
    }
}
