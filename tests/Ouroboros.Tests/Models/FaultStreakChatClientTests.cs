using Microsoft.Extensions.AI;
using Ouroboros.Models;

namespace Ouroboros.Tests.Models;

public class FaultStreakChatClientTests
{
    private static readonly ChatResponse Answer = ChatConventions.Response(["```csharp\nok();\n```"], "scripted", null);

    /// <summary>A model that answers or fails as <paramref name="script"/> says for each call (from 1).</summary>
    private static ScriptedChatClient Model(Func<int, Exception?> script) =>
        new((call, _, _) => script(call) is { } e ? throw e : Answer);

    private static ModelFaultException Gone() => new(ModelFaultKind.Rejected, "HTTP 404 from openai:x: no such model", 404);

    private static async Task<Exception?> Call(IChatClient client)
    {
        try { await client.GetResponseAsync(Chat.Ask("hi"), Chat.Options()); return null; }
        catch (Exception e) { return e; }
    }

    [Fact]
    public async Task The_bound_th_unavailable_fault_in_a_row_trips_it_and_later_calls_go_unsent()
    {
        var model = Model(_ => Gone());
        var guard = new FaultStreakChatClient(model, bound: 3);

        Assert.IsType<ModelFaultException>(await Call(guard));
        Assert.IsType<ModelFaultException>(await Call(guard));
        Assert.False(guard.Tripped.IsCancellationRequested);
        Assert.IsType<ModelFaultException>(await Call(guard)); // the third: the caller still sees its fault
        Assert.True(guard.Tripped.IsCancellationRequested);
        Assert.Equal("the model failed 3 calls in a row, the last with rejected: HTTP 404 from openai:x: no such model", guard.Reason);

        Assert.IsType<ModelUnavailableException>(await Call(guard));
        Assert.Equal(3, model.Calls);
    }

    [Fact]
    public async Task An_answer_ends_the_streak()
    {
        // Fails, fails, answers, fails, fails: never three in a row.
        var guard = new FaultStreakChatClient(Model(call => call == 3 ? null : new ModelFaultException(ModelFaultKind.Network, "reset")), bound: 3);
        for (int i = 0; i < 5; i++) await Call(guard);
        Assert.Null(guard.Reason);
        Assert.False(guard.Tripped.IsCancellationRequested);
    }

    [Fact]
    public async Task Refusals_of_one_request_budget_refusals_and_replay_misses_neither_count_nor_end_a_streak()
    {
        var script = new Exception?[]
        {
            new ModelFaultException(ModelFaultKind.Timeout, "slow"),
            new ModelFaultException(ModelFaultKind.Rejected, "HTTP 400: 'temperature' must be between 0 and 2", 400),
            new ModelBudgetExhaustedException(1, "calls", "spent"),
            new ReplayMissException("m", new string('a', 64), 0),
            new ModelFaultException(ModelFaultKind.EmptyResponse, "answered with empty text"),
            new ModelFaultException(ModelFaultKind.ServerError, "HTTP 503", 503),
        };
        var guard = new FaultStreakChatClient(Model(call => script[call - 1]), bound: 2);
        for (int i = 0; i < 5; i++) await Call(guard);
        Assert.Null(guard.Reason);
        await Call(guard);
        Assert.StartsWith("the model failed 2 calls in a row, the last with server_error", guard.Reason);
    }

    [Theory]
    [InlineData(ModelFaultKind.Timeout, null, true)]
    [InlineData(ModelFaultKind.RateLimited, 429, true)]
    [InlineData(ModelFaultKind.ServerError, 502, true)]
    [InlineData(ModelFaultKind.Network, null, true)]
    [InlineData(ModelFaultKind.MalformedResponse, 200, true)]
    [InlineData(ModelFaultKind.Rejected, 401, true)]
    [InlineData(ModelFaultKind.Rejected, 404, true)]
    [InlineData(ModelFaultKind.Rejected, 400, false)]
    [InlineData(ModelFaultKind.Rejected, 422, false)]
    [InlineData(ModelFaultKind.EmptyResponse, 200, false)]
    public void Which_faults_say_the_model_is_unavailable(ModelFaultKind kind, int? status, bool unavailable) =>
        Assert.Equal(unavailable, new ModelFaultException(kind, "x", status).MeansModelUnavailable);
}
