using Microsoft.Extensions.AI;
using Ouroboros.Models;
using Ouroboros.Store;

namespace Ouroboros.Tests.Models;

public class LedgerChatClientTests
{
    [Fact]
    public async Task Every_call_is_recorded_with_caller_tokens_and_cost()
    {
        using var store = RunStore.InMemory();
        var log = new ModelCallLog(store);
        var ledger = new LedgerChatClient(ScriptedChatClient.Fenced(tokensIn: 1000, tokensOut: 3000), log, new ModelPrice(2.5, 10));

        await ledger.GetResponseAsync(Chat.Ask("improve this"), Chat.Options(n: 3, level: 2, program: "abc123"));

        var row = Assert.Single(log.All());
        Assert.Equal("scripted", row.Model);
        Assert.Equal(3, row.Completions);
        Assert.Equal(2, row.Level);
        Assert.Equal("abc123", row.ProgramHash);
        Assert.Equal(1000, row.TokensIn);
        Assert.Equal(3000, row.TokensOut);
        Assert.Equal((1000 * 2.5 + 3000 * 10) / 1e6, row.CostUsd!.Value, 9);
        Assert.Equal("ok", row.Outcome);
        Assert.Equal(RequestHash.Of("scripted", Chat.Ask("improve this"), Chat.Options()), row.RequestHash);
    }

    [Fact]
    public async Task Faults_are_recorded_with_their_kind_and_still_reach_the_caller()
    {
        using var store = RunStore.InMemory();
        var log = new ModelCallLog(store);
        var failing = new ScriptedChatClient((_, _, _) => throw new ModelFaultException(ModelFaultKind.MalformedResponse, "not JSON"));
        var ledger = new LedgerChatClient(failing, log);

        var fault = await Assert.ThrowsAsync<ModelFaultException>(() => ledger.GetResponseAsync(Chat.Ask("x"), Chat.Options()));

        Assert.Equal(ModelFaultKind.MalformedResponse, fault.Kind);
        Assert.Equal("malformed_response", Assert.Single(log.All()).Outcome);
        Assert.Equal(1, log.OutcomeCounts()["malformed_response"]);
    }

    [Fact]
    public async Task Completions_without_a_code_block_are_returned_but_recorded_as_such()
    {
        using var store = RunStore.InMemory();
        var log = new ModelCallLog(store);
        var prose = new ScriptedChatClient((_, _, o) => ChatConventions.Response(["I would rather not write code.", "```csharp\nx();\n```"], "scripted"));
        var ledger = new LedgerChatClient(prose, log);

        var response = await ledger.GetResponseAsync(Chat.Ask("x"), Chat.Options(n: 2));

        Assert.Equal(2, ChatConventions.Texts(response).Count);
        var row = Assert.Single(log.All());
        Assert.Equal("no_code_block", row.Outcome);
        Assert.Contains("1 of 2", row.Detail);
    }

    [Fact]
    public async Task A_fault_that_succeeded_on_retry_is_in_the_ledger_but_not_counted_as_a_call()
    {
        using var store = RunStore.InMemory();
        var log = new ModelCallLog(store);
        var provider = new ScriptedChatClient((call, _, o) => call switch
        {
            1 => throw new ModelFaultException(ModelFaultKind.ServerError, "HTTP 503: overloaded", 503),
            2 => throw new ModelFaultException(ModelFaultKind.RateLimited, "HTTP 429: slow down", 429),
            _ => ChatConventions.Response(["```python\nx\n```"], "scripted"),
        });
        var retry = new RetryChatClient(provider, new ModelRetryOptions { BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) },
            LedgerChatClient.RetriedFaults(provider, log));
        var ledger = new LedgerChatClient(retry, log);

        await ledger.GetResponseAsync(Chat.Ask("improve this"), Chat.Options(level: 1, program: "abc"));

        var rows = log.All();
        Assert.Equal(["retried:server_error", "retried:rate_limited", "ok"], rows.Select(r => r.Outcome));
        Assert.All(rows, r => Assert.Equal(rows[^1].RequestHash, r.RequestHash));
        Assert.All(rows, r => Assert.Equal((1, "abc"), (r.Level, r.ProgramHash)));
        Assert.Equal(1, log.Totals().Calls);
        Assert.Equal(1, log.OutcomeCounts()["retried:server_error"]);
    }
}
