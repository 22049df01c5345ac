using Ouroboros.Models;

namespace Ouroboros.Tests.Models;

public class BudgetChatClientTests
{
    [Fact]
    public async Task Each_recursion_level_has_its_own_call_budget()
    {
        var inner = ScriptedChatClient.Fenced();
        var budget = new BudgetChatClient(inner, level => new ModelBudget { MaxCalls = level == 0 ? 2 : 1 });

        await budget.GetResponseAsync(Chat.Ask("a"), Chat.Options(level: 0));
        await budget.GetResponseAsync(Chat.Ask("b"), Chat.Options(level: 0));
        await budget.GetResponseAsync(Chat.Ask("c"), Chat.Options(level: 1));
        var e = await Assert.ThrowsAsync<ModelBudgetExhaustedException>(() => budget.GetResponseAsync(Chat.Ask("d"), Chat.Options(level: 0)));
        await Assert.ThrowsAsync<ModelBudgetExhaustedException>(() => budget.GetResponseAsync(Chat.Ask("e"), Chat.Options(level: 1)));

        Assert.Equal("calls", e.Limit);
        Assert.Equal(0, e.Level);
        Assert.Contains("level 0", e.Message);
        Assert.Equal(3, inner.Calls);
    }

    [Fact]
    public async Task Completions_are_reserved_before_the_call()
    {
        var inner = ScriptedChatClient.Fenced();
        var budget = new BudgetChatClient(inner, _ => new ModelBudget { MaxCompletions = 8 });

        await budget.GetResponseAsync(Chat.Ask("a"), Chat.Options(n: 6));
        var e = await Assert.ThrowsAsync<ModelBudgetExhaustedException>(() => budget.GetResponseAsync(Chat.Ask("b"), Chat.Options(n: 6)));
        await budget.GetResponseAsync(Chat.Ask("c"), Chat.Options(n: 2));

        Assert.Equal("completions", e.Limit);
        // A provider that reports no usage leaves the prompts' estimates (20 characters, 5 tokens each) charged.
        Assert.Equal(new ModelSpend(2, 8, 10, 0), budget.Spent(0));
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task Token_and_money_caps_stop_the_next_call_once_reached()
    {
        var inner = ScriptedChatClient.Fenced(tokensIn: 400, tokensOut: 600);
        var tokens = new BudgetChatClient(inner, _ => new ModelBudget { MaxTokens = 1500 });
        await tokens.GetResponseAsync(Chat.Ask("a"), Chat.Options());
        await tokens.GetResponseAsync(Chat.Ask("b"), Chat.Options());
        Assert.Equal("tokens", (await Assert.ThrowsAsync<ModelBudgetExhaustedException>(() => tokens.GetResponseAsync(Chat.Ask("c"), Chat.Options()))).Limit);

        // 400 in at $10/M + 600 out at $30/M = $0.022 per call.
        var money = new BudgetChatClient(inner, _ => new ModelBudget { MaxCostUsd = 0.03 }, new ModelPrice(10, 30));
        await money.GetResponseAsync(Chat.Ask("a"), Chat.Options());
        await money.GetResponseAsync(Chat.Ask("b"), Chat.Options());
        Assert.Equal("cost", (await Assert.ThrowsAsync<ModelBudgetExhaustedException>(() => money.GetResponseAsync(Chat.Ask("c"), Chat.Options()))).Limit);
        Assert.Equal(0.044, money.Spent(0).CostUsd, 9);
    }

    [Fact]
    public void A_money_cap_without_a_price_fails_when_built()
    {
        var e = Assert.Throws<ModelConfigurationException>(() => new BudgetChatClient(ScriptedChatClient.Fenced(), _ => new ModelBudget { MaxCostUsd = 5 }));
        Assert.Contains("price", e.Message);
    }

    [Fact]
    public async Task Streaming_cannot_slip_past_the_budget()
    {
        var inner = ScriptedChatClient.Fenced();
        var budget = new BudgetChatClient(inner, _ => new ModelBudget { MaxCalls = 1 });

        await foreach (var _ in budget.GetStreamingResponseAsync(Chat.Ask("a"), Chat.Options())) { }
        await Assert.ThrowsAsync<ModelBudgetExhaustedException>(async () =>
        {
            await foreach (var _ in budget.GetStreamingResponseAsync(Chat.Ask("b"), Chat.Options())) { }
        });

        Assert.Equal(1, inner.Calls);
    }
}
